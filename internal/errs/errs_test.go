package errs

import (
	"errors"
	"io/fs"
	"syscall"
	"testing"
)

// An error made by New reads as its own text alone, and errors.Is and
// errors.As find every error it wraps, and what those wrap in turn.
func TestNew(t *testing.T) {
	invalid := errors.New("pkg: invalid argument")
	bad := New("pkg: not an open descriptor", invalid)
	err := New("pkg: descriptor 7 is not open: bad file descriptor", bad, syscall.EBADF)
	if got := err.Error(); got != "pkg: descriptor 7 is not open: bad file descriptor" {
		t.Errorf("Error() = %q", got)
	}
	for _, target := range []error{bad, invalid, syscall.EBADF, fs.ErrClosed} {
		if want := target != fs.ErrClosed; errors.Is(err, target) != want {
			t.Errorf("errors.Is(err, %v) = %v, want %v", target, !want, want)
		}
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) || errno != syscall.EBADF {
		t.Errorf("errors.As found %v", errno)
	}
	if !errors.Is(bad, invalid) {
		t.Error("a sentinel made by New is not a kind of what it wraps")
	}
}
