//go:build unix

package core_test

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/luaevent/core"
)

// obj is an Object with a getfd result, or a file, or an error.
type obj struct {
	fd     core.Value
	found  bool
	err    error
	isFile bool
	closed bool
	file   int
	calls  int
}

func (o *obj) GetFD() (core.Value, bool, error) {
	o.calls++
	return o.fd, o.found, o.err
}

func (o *obj) File() (int, bool, bool) { return o.file, o.isFile, o.closed }

// The rules a Lua 5.4 binding meets beside gopher-lua's: integers, files,
// getfd errors passed through unchanged, and the messages luaevent's tests
// hold (luaevent_test.go, TestBadArguments) for the same arguments.
func TestAddRules(t *testing.T) {
	s := core.NewSet()
	defer s.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	rfd := int64(r.Fd())
	boom := errors.New("boom")
	cases := []struct {
		typ, src, timeout core.Value
		obj               *obj
		want              string // "" for success
	}{
		{typ: core.String("q"), want: `bad argument #1 to 'add' (unknown event type "q")`},
		{typ: core.Value{}, want: `bad argument #1 to 'add' (event type (string) expected, got no value)`},
		{typ: core.Integer(1), want: `bad argument #1 to 'add' (event type (string) expected, got number)`},
		{typ: core.String("t"), src: core.Integer(0), want: `bad argument #2 to 'add' (timer interval must be > 0, got 0)`},
		{typ: core.String("t"), src: core.Integer(-2), want: `bad argument #2 to 'add' (timer interval must be > 0, got -2)`},
		{typ: core.String("t"), src: core.Float(-2), want: `bad argument #2 to 'add' (timer interval must be > 0, got -2)`},
		{typ: core.String("T"), src: core.Integer(9223372037), want: `bad argument #2 to 'add' (timer interval 9223372037 seconds is too long)`},
		{typ: core.String("T"), src: core.Float(9223372037), want: `bad argument #2 to 'add' (timer interval 9.223372037e+09 seconds is too long)`},
		{typ: core.String("r"), src: core.Integer(-1), want: `bad argument #2 to 'add' (invalid file descriptor -1)`},
		{typ: core.String("r"), src: core.Float(1.5), want: `bad argument #2 to 'add' (invalid file descriptor 1.5)`},
		{typ: core.String("r"), src: core.Integer(1 << 40), want: `bad argument #2 to 'add' (invalid file descriptor 1099511627776)`},
		{typ: core.String("w"), src: core.Of(core.TypeTable), obj: &obj{}, want: `bad argument #2 to 'add' (file descriptor expected, got table without getfd())`},
		{typ: core.String("w"), src: core.Of(core.TypeTable), obj: &obj{found: true, fd: core.String("x")}, want: `bad argument #2 to 'add' (getfd() returned string, not a file descriptor)`},
		{typ: core.String("w"), src: core.Of(core.TypeUserdata), obj: &obj{err: boom}, want: `boom`},
		{typ: core.String("r"), src: core.Of(core.TypeUserdata), obj: &obj{isFile: true, closed: true}, want: `bad argument #2 to 'add' (attempt to use a closed file)`},
		{typ: core.String("r"), src: core.Of(core.TypeLightUserdata), want: `bad argument #2 to 'add' (file descriptor (integer or object with getfd) expected, got userdata)`},
		{typ: core.String("v"), src: core.Integer(1), want: `bad argument #2 to 'add' (initial state (nil or boolean) expected, got number)`},
		{typ: core.String("v"), timeout: core.Integer(-1), want: `bad argument #4 to 'add' (negative timeout -1)`},
		{typ: core.String("v"), timeout: core.Float(-1), want: `bad argument #4 to 'add' (negative timeout -1)`},
		{typ: core.String("s"), src: core.Value{Type: core.TypeOther, Name: "cdata"}, want: `bad argument #2 to 'add' (signal name or number expected, got cdata)`},
		{typ: core.String("s"), src: core.String("SIGKILL"), want: `bad argument #2 to 'add' (`},
		{typ: core.String("s"), src: core.Integer(1 << 40), want: `bad argument #2 to 'add' (no signal has number 1099511627776)`},
		// accepted
		{typ: core.String("v"), src: core.Boolean(true)},
		{typ: core.String("V"), timeout: core.Integer(5)},
		{typ: core.String("t"), src: core.Integer(100)},
		{typ: core.String("r"), src: core.Integer(rfd)},
		{typ: core.String("R"), src: core.Of(core.TypeTable), obj: &obj{found: true, fd: core.Integer(rfd)}},
		{typ: core.String("r"), src: core.Of(core.TypeUserdata), obj: &obj{isFile: true, file: int(rfd)}},
		{typ: core.String("S"), src: core.String("SIGUSR1")},
		{typ: core.String("v"), timeout: core.String("no timeout")},
	}
	if !strings.Contains(evchan.NoWait.String(), "NoWait") {
		t.Fatal("evchan modes changed")
	}
	for _, c := range cases {
		var o core.Object
		if c.obj != nil {
			o = c.obj
		}
		n := s.C.Len()
		id, err := s.Add(c.typ, c.src, c.timeout, o)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c, err)
		case c.want == "" && (id == 0 || s.C.Len() != n+1):
			t.Errorf("%+v: id %d, %d events, want one more than %d", c, id, s.C.Len(), n)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v:\n got %v\nwant %s", c, err, c.want)
		case c.want != "" && s.C.Len() != n:
			t.Errorf("%+v: a refused add changed the set", c)
		}
		if c.want == "boom" && !errors.Is(err, boom) {
			t.Errorf("the getfd error is not passed unchanged: %v", err)
		}
		if c.obj != nil && c.obj.calls > 1 {
			t.Errorf("%+v: getfd called %d times", c, c.obj.calls)
		}
	}
}

// An event set by a Lua 5.4 integer ID, a float ID, or a number that names
// no possible event.
func TestIDs(t *testing.T) {
	s := core.NewSet()
	defer s.Close()
	id, err := s.Add(core.String("V"), core.Nil, core.Nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []core.Value{core.Integer(int64(id)), core.Float(float64(id))} {
		if got, ok, err := s.Trigger(v); err != nil || !ok || got != id {
			t.Errorf("Trigger(%+v) = %v %v %v", v, got, ok, err)
		}
	}
	for _, v := range []core.Value{core.Integer(0), core.Integer(-1), core.Float(1.5), core.Integer(1<<53 + 1), core.Float(1e300)} {
		if _, ok, err := s.Trigger(v); err != nil || ok {
			t.Errorf("Trigger(%+v) = %v %v", v, ok, err)
		}
	}
	if _, _, err := s.Del(core.String("1")); err == nil || err.Error() != `bad argument #1 to 'del' (event id (number) expected, got string)` {
		t.Errorf("Del(string): %v", err)
	}
	if _, _, err := s.Set(core.Integer(int64(id)), core.Integer(-2)); err == nil || err.Error() != `bad argument #3 to 'set' (negative timeout -2)` {
		t.Errorf("Set with a negative timeout: %v", err)
	}
}

// Watching follows signal events through Del, delivery of a one-shot
// event, and Clear.
func TestWatching(t *testing.T) {
	s := core.NewSet()
	defer s.Close()
	if s.Watching(os.Interrupt) {
		t.Fatal("a new set watches SIGINT")
	}
	id, err := s.Add(core.String("S"), core.String("SIGINT"), core.Nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Watching(os.Interrupt) {
		t.Fatal("not watching after add")
	}
	if _, ok, _ := s.Del(core.Integer(int64(id))); !ok || s.Watching(os.Interrupt) {
		t.Fatal("still watching after del")
	}
	if _, err := s.Add(core.String("s"), core.Integer(2), core.Nil, nil); err != nil {
		t.Fatal(err)
	}
	if !s.Watching(os.Interrupt) {
		t.Fatal("signal 2 is not SIGINT")
	}
	s.Clear()
	if s.Watching(os.Interrupt) {
		t.Fatal("still watching after clear")
	}
}

// Next of a replaced loop returns false; a closed set
// refuses add and once with ClosedError.
func TestLoops(t *testing.T) {
	s := core.NewSet()
	if _, err := s.Add(core.String("V"), core.Boolean(true), core.Nil, nil); err != nil {
		t.Fatal(err)
	}
	mode, err := core.ParseMode(core.Boolean(false))
	if err != nil || mode != evchan.NoWait {
		t.Fatalf("ParseMode(false) = %v, %v", mode, err)
	}
	g1 := s.Call(context.Background(), mode)
	g2 := s.Call(context.Background(), mode)
	if s.Next(g1, new(evchan.Event)) || s.Looping(g1) {
		t.Error("the replaced loop goes on")
	}
	var e evchan.Event
	if ok := s.Next(g2, &e); !ok || e.Reason != evchan.Triggered {
		t.Errorf("Next = %v %v", e, ok)
	}
	if s.Next(g2, new(evchan.Event)) {
		t.Error("NoWait loop did not end")
	}
	s.Close()
	if _, err := s.Add(core.String("v"), core.Nil, core.Nil, nil); !errors.Is(err, core.ErrClosed) || err.Error() != "add: the event set is closed" {
		t.Errorf("add on a closed set: %v", err)
	}
	if _, err := s.Once(); !errors.Is(err, core.ErrClosed) || err.Error() != "once: the event set is closed" {
		t.Errorf("once on a closed set: %v", err)
	}
	for _, c := range []struct {
		v    core.Value
		want string
	}{
		{core.String("yes"), `bad argument #1 to 'event set call' (block (boolean, number or nil) expected, got string)`},
		{core.Float(math.NaN()), `NaN seconds`},
	} {
		if _, err := core.ParseMode(c.v); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseMode(%+v) = %v", c.v, err)
		}
	}
	if err := core.CheckNewset(core.String("x")); err == nil || err.Error() != `bad argument #1 to 'newset' (number expected, got string)` {
		t.Errorf("CheckNewset: %v", err)
	}
	if err := core.BadSelf("stop", core.Of(core.TypeTable)); err.Error() != `calling 'stop' on bad self (event set expected, got table)` {
		t.Errorf("BadSelf: %v", err)
	}
}

// Caught counts the deliveries of a signal's events, and still counts one
// whose one-shot event is gone once delivered, when Watching no longer
// reports the signal: a binding watching the signal itself tells by it
// that the signal it got was an event's.
func TestCaughtOutlivesAOneShotSignalEvent(t *testing.T) {
	s := core.NewSet()
	defer s.Close()
	if _, err := s.Add(core.String("s"), core.String("SIGUSR1"), core.Nil, nil); err != nil {
		t.Fatal(err)
	}
	if !s.Watching(syscall.SIGUSR1) || s.Caught(syscall.SIGUSR1) != 0 {
		t.Fatalf("before: Watching %v, Caught %d", s.Watching(syscall.SIGUSR1), s.Caught(syscall.SIGUSR1))
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	gen := s.Call(context.Background(), evchan.Block)
	var e evchan.Event
	if !s.Next(gen, &e) || e.Reason != evchan.Signal {
		t.Fatalf("Next = %v, want the signal", e)
	}
	if s.Watching(syscall.SIGUSR1) || s.Caught(syscall.SIGUSR1) != 1 || s.Caught(syscall.SIGUSR2) != 0 {
		t.Fatalf("after: Watching %v, Caught %d, %d for SIGUSR2", s.Watching(syscall.SIGUSR1),
			s.Caught(syscall.SIGUSR1), s.Caught(syscall.SIGUSR2))
	}
}
