//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package poll

import (
	"errors"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/unix"
)

// wakePipe wakes a poller blocked in poll(2) or kevent: its read end is
// watched with the descriptors, and a byte written to it makes the wait
// return. Both ends are non-blocking, so a full pipe never blocks a waker
// (a wake-up is pending then anyway).
type wakePipe struct{ r, w int }

func openWakePipe() (wakePipe, error) {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return wakePipe{}, errs.In("poll: pipe", err)
	}
	wp := wakePipe{r: p[0], w: p[1]}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			wp.close()
			return wakePipe{}, errs.In("poll: pipe", err)
		}
	}
	return wp, nil
}

func (p wakePipe) wake() error {
	_, err := unix.Write(p.w, []byte{0})
	if err == unix.EAGAIN {
		return nil
	}
	return err
}

// drain empties the pipe after a wake-up.
func (p wakePipe) drain() {
	var b [64]byte
	for {
		if n, _ := unix.Read(p.r, b[:]); n <= 0 {
			return
		}
	}
}

func (p wakePipe) close() error {
	return errors.Join(unix.Close(p.r), unix.Close(p.w))
}
