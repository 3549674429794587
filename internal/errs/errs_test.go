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

// Trim takes off the prefix of a package of the module only.
func TestTrim(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{errors.New("sigs: no signal is named \"FOO\" on linux"), "no signal is named \"FOO\" on linux"},
		{New("poll: descriptor -1 is not an open descriptor"), "descriptor -1 is not an open descriptor"},
		{errors.New("evchan: invalid argument"), "invalid argument"},
		{syscall.EBADF, "bad file descriptor"},
		{errors.New("read: connection reset by peer"), "read: connection reset by peer"}, // an os.SyscallError's
		{errors.New("open /tmp/x: no such file or directory"), "open /tmp/x: no such file or directory"},
		{errors.New("the interval must be positive, not -1"), "the interval must be positive, not -1"},
		{errors.New("poll:no space"), "poll:no space"},
		{nil, ""},
	} {
		if got := Trim(tc.err); got != tc.want {
			t.Errorf("Trim(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// In makes one sentence of the outer prefix and the inner text, and wraps
// the inner error and the others given.
func TestIn(t *testing.T) {
	invalid := errors.New("sigs: invalid argument")
	inner := New(`sigs: no signal is named "FOO" on linux`, invalid)
	extra := errors.New("sources: unknown event letter")
	err := In(`sources: signal event "s"`, inner, extra)
	if got, want := err.Error(), `sources: signal event "s": no signal is named "FOO" on linux`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for _, target := range []error{inner, invalid, extra} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(err, %v) = false", target)
		}
	}
	sys := In("poll: descriptor 7", syscall.EBADF)
	if got, want := sys.Error(), "poll: descriptor 7: bad file descriptor"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(sys, syscall.EBADF) {
		t.Error("errors.Is(err, EBADF) = false")
	}
}
