package winhandle

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/windows"
)

// A message posted right after a one-shot message event timed out reaches
// the next message event: the thread may take it for the timed-out event,
// deleted but not yet stopped, and then keeps it, since that event did not
// count it. Many rounds, since the window is short; it failed within a few
// hundred before the thread kept such messages.
func TestMessageAfterATimedOutOneShotIsKept(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	tid, err := ThreadID(c)
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 300; round++ {
		old := mustAdd(t, c, Messages(), nil, time.Millisecond)
		if e := next(t, c, "the timeout"); e.ID != old || e.Reason != evchan.Timeout {
			t.Fatalf("round %d: got %v, want event %d timing out", round, e, old)
		}
		if err := postThreadMessage(tid, wmUser, uintptr(round), 0); err != nil {
			t.Fatal(err)
		}
		id := mustAdd(t, c, Messages(), nil, hangLimit) // a timeout only catches the loss
		e := next(t, c, "the message")
		if e.ID != id || e.Reason != evchan.Message {
			t.Fatalf("round %d: the message posted after the timeout was lost: got %v", round, e)
		}
		if ms := Received(e); len(ms) != 1 || ms[0].WParam != uintptr(round) {
			t.Fatalf("round %d: got messages %v, want the one posted", round, ms)
		}
	}
}

// stalledStop wraps a message source: its Watcher's Stop waits for
// release, as Del's call to Stop, made once Del has released the
// container's lock, may come after a concurrent Close has returned.
type stalledStop struct {
	release chan struct{}
	w       evchan.Watcher
}

func (s *stalledStop) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w, err := msgSource{}.Watch(h)
	s.w = w
	return stalledWatcher{s}, err
}

type stalledWatcher struct{ s *stalledStop }

func (w stalledWatcher) Rearm() { w.s.w.Rearm() }
func (w stalledWatcher) Stop()  { <-w.s.release; w.s.w.Stop() }

// A message event's Stop that comes after Close signals nothing: the
// thread's wake event is closed, and its handle value may name another
// object of the process by then.
func TestStopAfterCloseSignalsNoHandle(t *testing.T) {
	c := evchan.New()
	s := &stalledStop{release: make(chan struct{})}
	id, err := c.Add(evchan.Custom(s).Persistent(), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	wake := s.w.(*msgWatch).t.wake
	deleted := make(chan struct{})
	go func() { c.Del(id); close(deleted) }()
	for c.Len() != 0 { // Del has removed the event and is about to Stop it
		time.Sleep(time.Millisecond)
	}
	c.Close() // closes the thread and its wake event

	// Another part of the program makes an event, which may get the
	// closed handle's value.
	var reused windows.Handle
	var others []windows.Handle
	defer func() {
		for _, h := range others {
			windows.CloseHandle(h)
		}
	}()
	for range 64 {
		h, err := windows.CreateEvent(nil, 1, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		others = append(others, h)
		if h == wake {
			reused = h
			break
		}
	}
	if reused == 0 {
		t.Skip("the closed wake event's handle value was not reused")
	}
	close(s.release)
	<-deleted
	if r, _ := windows.WaitForSingleObject(reused, 0); r == windows.WAIT_OBJECT_0 {
		t.Fatalf("an event made after Close (handle %#x, the wake event's old value) was signaled by a late Stop", reused)
	}
}
