package sources_test

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
	"github.com/evchan/evchan/winhandle"
	"golang.org/x/sys/windows"
)

// R16: on Windows the draft's "h" takes a handle and "m" nothing, both
// cases, and their events arrive.
func TestR16HandleAndMessageLetters(t *testing.T) {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(ev)
	c := evchan.New()
	defer c.Close()

	for _, tc := range []struct {
		letter string
		source any
	}{
		{"h", ev}, {"H", ev}, {"h", syscall.Handle(ev)}, {"H", uintptr(ev)},
		{"m", nil}, {"M", nil},
	} {
		spec, err := sources.Parse(tc.letter, tc.source)
		if err != nil {
			t.Fatalf("Parse(%q, %v): %v", tc.letter, tc.source, err)
		}
		if spec.Letter() != tc.letter || spec.Source() != tc.source {
			t.Fatalf("Parse(%q, %v) = %v with letter %q, source %v", tc.letter, tc.source, spec, spec.Letter(), spec.Source())
		}
	}

	h, _ := sources.Parse("h", ev)
	hid := mustAdd(t, c, h, "handle", 0)
	windows.SetEvent(ev)
	if e := next(t, c); e.ID != hid || e.Reason != evchan.Signaled || e.Source != ev {
		t.Fatalf("got %v source=%v, want the handle event %d", e, e.Source, hid)
	}

	m, _ := sources.Parse("M", nil)
	mid := mustAdd(t, c, m, "messages", 0)
	if err := winhandle.Post(c, 0x8000, 7, 8); err != nil {
		t.Fatal(err)
	}
	e := next(t, c)
	if ms := winhandle.Received(e); e.ID != mid || e.Reason != evchan.Message || len(ms) != 1 || ms[0].WParam != 7 || ms[0].LParam != 8 {
		t.Fatalf("got %v carrying %v, want the message event %d with the message posted", e, ms, mid)
	}
	if winhandle.Handle(ev).Letter() != "h" || winhandle.Messages().Persistent().Letter() != "M" {
		t.Fatal("the constructors' letters")
	}
}

// R15: on Windows a handle source of another type, or a message source at
// all, is refused with evchan.ErrInvalid.
func TestParseHandleAndMessageRefuse(t *testing.T) {
	for _, tc := range []struct {
		letter string
		source any
	}{
		{"h", nil}, {"h", 3}, {"H", 2.5}, {"h", "4"}, {"h", uintptr(0)},
		{"m", 1}, {"M", "queue"},
	} {
		if _, err := sources.Parse(tc.letter, tc.source); !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Parse(%q, %#v) = %v, want an error wrapping evchan.ErrInvalid", tc.letter, tc.source, err)
		}
	}
}

// next receives c's next event, failing after a bound that only catches
// hangs.
func next(t *testing.T, c *evchan.Container) evchan.Event {
	t.Helper()
	select {
	case e := <-c.C:
		return e
	case <-time.After(30 * time.Second):
		t.Fatal("no event within 30s")
		return evchan.Event{}
	}
}
