package sigs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// ErrUncatchable is wrapped by the error for SIGKILL and SIGSTOP, which no
// program can catch (R15). It also satisfies errors.Is(err, evchan.ErrInvalid).
var ErrUncatchable = errs.New("sigs: signal cannot be caught", evchan.ErrInvalid)

// Signal returns the Spec of a one-shot event that fires with reason
// evchan.Signal when sig arrives: the draft's "s". Persistent() makes it the
// draft's "S", which fires for every arrival until Del, Clear or Close.
// Event.Source is sig as given, Event.Value the signal that arrived, and
// Event.Count how many arrivals the event stands for (R3).
//
// Add refuses a nil signal, SIGKILL and SIGSTOP with an error wrapping
// evchan.ErrInvalid (ErrUncatchable for the last two), and a signal that
// os/signal cannot relay on this platform with one wrapping
// errors.ErrUnsupported (R15); the Spec's Err method reports the same error
// before Add.
func Signal(sig os.Signal) evchan.Spec {
	checked, err := check(sig)
	return evchan.Custom(&source{sig: checked}).WithSource(sig).WithLetter('s').WithErr(err)
}

// Lookup returns the signal that v names, checked as Signal would check it:
// an os.Signal (a syscall.Signal, os.Interrupt...), returned as given; a name
// such as "SIGUSR1" or "USR1", in any case; or a signal number of any integer
// type. It is what a parser of the draft's "s" source needs.
//
// It fails with an error wrapping evchan.ErrInvalid for nil, a value of
// another type, an unknown name or number, SIGKILL and SIGSTOP
// (ErrUncatchable), and with one wrapping errors.ErrUnsupported for a signal
// os/signal cannot relay on this platform.
func Lookup(v any) (os.Signal, error) {
	switch v := v.(type) {
	case nil:
		return check(nil)
	case os.Signal:
		return check(v)
	case string:
		return byName(v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return byNumber(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= 1<<31 {
			return byNumber(int64(u))
		}
		return nil, invalidf("no signal has number %d", rv.Uint())
	}
	return nil, invalidf("a signal is an os.Signal, a name or a number, not %T", v)
}

// errNil is the error for a nil signal.
var errNil = errs.New("sigs: nil is not a signal", evchan.ErrInvalid)

// invalidf returns an error about a bad argument, wrapping evchan.ErrInvalid.
func invalidf(format string, args ...any) error {
	return errs.New("sigs: "+fmt.Sprintf(format, args...), evchan.ErrInvalid)
}

// uncatchable returns the error for SIGKILL or SIGSTOP, wrapping
// ErrUncatchable.
func uncatchable(name string) error {
	return errs.New("sigs: "+name+" cannot be caught", ErrUncatchable)
}

// unsupportedf returns an error about a signal the platform cannot relay,
// wrapping errors.ErrUnsupported.
func unsupportedf(format string, args ...any) error {
	return errs.New("sigs: "+fmt.Sprintf(format, args...), errors.ErrUnsupported)
}

// source is the evchan.Source of a signal event, for a signal that check
// accepted.
type source struct {
	sig os.Signal
}

// hubKey names the container's signal hub among its services.
type hubKey struct{}

func (s *source) Watch(h evchan.Handle) (evchan.Watcher, error) {
	svc, err := h.Service(hubKey{}, func() (io.Closer, error) { return newHub(), nil })
	if err != nil {
		return nil, err
	}
	return svc.(*hub).watch(s.sig, h)
}

// String describes the source for logs.
func (s *source) String() string { return fmt.Sprintf("signal %v", s.sig) }
