//go:build linux || windows

package poll

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// onePrefix fails t unless text is one sentence with one package prefix,
// the package's own: no wrapped sentinel's text repeated in it.
func onePrefix(t *testing.T, text string) {
	t.Helper()
	if !strings.HasPrefix(text, "poll: ") {
		t.Errorf("%q does not begin with \"poll: \"", text)
	}
	for _, p := range []string{"evchan: ", "poll: ", "sigs: ", "sources: ", "winhandle: "} {
		if n := strings.Count(text, p); n > 0 && (p != "poll: " || n > 1) {
			t.Errorf("%q holds %q %d times", text, p, n)
		}
	}
	if strings.Contains(text, "\n") {
		t.Errorf("%q is not one sentence of its own", text)
	}
}

// The errors about what is not an open descriptor read as one sentence
// naming the value, and match ErrBadDescriptor and evchan.ErrInvalid (and
// the cause, where there is one).
func TestBadDescriptorTexts(t *testing.T) {
	closed, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	var nilFile *os.File
	for _, tc := range []struct {
		v     any
		want  string
		cause error
	}{
		{-1, "poll: descriptor -1 is not an open descriptor", nil},
		{int64(1) << 40, "poll: descriptor 1099511627776 is not an open descriptor", nil},
		{nil, "poll: nil is not an open descriptor", nil},
		{nilFile, "poll: a nil *os.File is not an open descriptor", nil},
		{"3", "poll: a value of type string is not a descriptor: want an int, a uintptr, a syscall.Conn or a value with Fd() uintptr", nil},
		{closed, "poll: the *os.File has no open descriptor: use of closed file", nil},
	} {
		_, err := descriptorOf(tc.v)
		if err == nil {
			t.Errorf("descriptorOf(%T %v) = nil error", tc.v, tc.v)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("descriptorOf(%T %v) = %q, want %q", tc.v, tc.v, err, tc.want)
		}
		onePrefix(t, err.Error())
		for _, target := range []error{ErrBadDescriptor, evchan.ErrInvalid, tc.cause} {
			if target != nil && !errors.Is(err, target) {
				t.Errorf("descriptorOf(%T %v) = %q, not wrapping %q", tc.v, tc.v, err, target)
			}
		}
	}
	if err := ErrBadDescriptor.Error(); err != "poll: not an open descriptor" {
		t.Errorf("ErrBadDescriptor reads %q", err)
	}
	if !errors.Is(ErrBadDescriptor, evchan.ErrInvalid) {
		t.Error("ErrBadDescriptor is not an evchan.ErrInvalid")
	}
}

// resourceErrno is an error the kernel gives when it is out of descriptors.
func resourceErrno() syscall.Errno {
	if runtime.GOOS == "windows" {
		return syscall.Errno(10024) // WSAEMFILE
	}
	return syscall.EMFILE
}

// A mechanism's refusal reads as one sentence naming the descriptor, and
// wraps the sentinel of its kind and the system's error.
func TestWatchErrorTexts(t *testing.T) {
	emfile := resourceErrno()
	unsupported := errs.New("poll: kqueue on freebsd has no EVFILT_EXCEPT: watch for exceptions with poll.Portable", errors.ErrUnsupported)
	for _, tc := range []struct {
		err     error
		first   bool
		want    string
		wraps   []error
		notWrap []error
	}{
		{syscall.EBADF, true, fmt.Sprintf("poll: descriptor 7 is not an open descriptor: %v", syscall.EBADF),
			[]error{ErrBadDescriptor, evchan.ErrInvalid, syscall.EBADF}, []error{ErrResources}},
		{emfile, true, fmt.Sprintf("poll: descriptor 7 cannot be watched: %v (out of kernel resources)", emfile),
			[]error{ErrResources, emfile}, []error{ErrBadDescriptor}},
		{emfile, false, fmt.Sprintf("poll: descriptor 7 cannot be watched: %v (out of kernel resources)", emfile),
			[]error{ErrResources, emfile}, []error{ErrBadDescriptor}},
		{syscall.EINVAL, false, fmt.Sprintf("poll: descriptor 7 cannot be watched: %v", syscall.EINVAL),
			[]error{syscall.EINVAL}, []error{ErrBadDescriptor, ErrResources}},
		{unsupported, true, "poll: descriptor 7: kqueue on freebsd has no EVFILT_EXCEPT: watch for exceptions with poll.Portable",
			[]error{errors.ErrUnsupported}, []error{ErrBadDescriptor, evchan.ErrInvalid}},
	} {
		err := watchError(7, tc.err, tc.first)
		if err.Error() != tc.want {
			t.Errorf("watchError(7, %v, %v) = %q, want %q", tc.err, tc.first, err, tc.want)
		}
		onePrefix(t, err.Error())
		for _, target := range tc.wraps {
			if !errors.Is(err, target) {
				t.Errorf("watchError(7, %v, %v) = %q, not wrapping %q", tc.err, tc.first, err, target)
			}
		}
		for _, target := range tc.notWrap {
			if errors.Is(err, target) {
				t.Errorf("watchError(7, %v, %v) = %q, wrapping %q", tc.err, tc.first, err, target)
			}
		}
	}
}

// A backend the kernel cannot open for want of resources says so at the
// end of its sentence; an unknown backend is a bad argument.
func TestBackendErrorTexts(t *testing.T) {
	emfile := resourceErrno()
	err := outOfResources(errs.In("poll: epoll_create1", emfile))
	if want := fmt.Sprintf("poll: epoll_create1: %v (out of kernel resources)", emfile); err.Error() != want {
		t.Errorf("outOfResources = %q, want %q", err, want)
	}
	onePrefix(t, err.Error())
	if !errors.Is(err, ErrResources) || !errors.Is(err, emfile) {
		t.Errorf("outOfResources = %q, not wrapping ErrResources and %v", err, emfile)
	}
	if plain := errs.In("poll: pipe", syscall.EINVAL); outOfResources(plain) != plain {
		t.Errorf("outOfResources changed %q", plain)
	}

	_, err = Backend(9).open()
	if want := "poll: Backend(9) is not a backend: want poll.Default or poll.Portable"; err == nil || err.Error() != want {
		t.Errorf("Backend(9).open() = %v, want %q", err, want)
	} else if !errors.Is(err, evchan.ErrInvalid) {
		t.Errorf("Backend(9).open() = %q, not wrapping evchan.ErrInvalid", err)
	}
}
