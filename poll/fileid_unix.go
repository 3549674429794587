//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import "golang.org/x/sys/unix"

// fileID tells files apart when descriptor numbers are reused (R15).
type fileID struct{ dev, ino uint64 }

// identify returns the identity of the file fd names.
func identify(fd int) (fileID, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fileID{}, err
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, nil
}

// fileOf returns the identity of the file fd names, or the zero fileID.
func fileOf(fd int) fileID {
	id, _ := identify(fd)
	return id
}

// sameFile reports whether fd still names the file id.
func sameFile(fd int, id fileID) bool {
	got := fileOf(fd)
	return got != fileID{} && got == id
}
