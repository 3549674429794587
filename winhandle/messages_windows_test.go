package winhandle

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// receive collects the messages of id's deliveries until it has n,
// checking that each delivery carries Count messages, at most MaxBatch.
func receive(t *testing.T, c *evchan.Container, id evchan.ID, n int) []Msg {
	t.Helper()
	var got []Msg
	for len(got) < n {
		e := next(t, c, "message deliveries")
		ms := Received(e)
		if e.ID != id || e.Reason != evchan.Message || e.Source != nil || e.Err != nil {
			t.Fatalf("got %v source=%v, want a message delivery of event %d", e, e.Source, id)
		}
		if len(ms) != e.Count || e.Count > MaxBatch {
			t.Fatalf("a delivery with Count %d carries %d messages (MaxBatch %d)", e.Count, len(ms), MaxBatch)
		}
		if ms[len(ms)-1] != e.Value.(Batch).Last() {
			t.Fatalf("Batch.Last is %v, the delivery's newest message %v", e.Value.(Batch).Last(), ms[len(ms)-1])
		}
		got = append(got, ms...)
	}
	if len(got) != n {
		t.Fatalf("got %d messages, want %d", len(got), n)
	}
	return got
}

// wantSequence checks that ms are the messages numbered from first on in
// WParam, in order, none lost or repeated.
func wantSequence(t *testing.T, ms []Msg, first int) {
	t.Helper()
	for i, m := range ms {
		if m.Message != wmUser || m.WParam != uintptr(first+i) || m.LParam != uintptr(first+i)*10 || m.HWnd != 0 {
			t.Fatalf("message %d is %+v, want WM_USER(%d, %d) to the thread", i, m, first+i, (first+i)*10)
		}
	}
}

// post posts WM_USER(i, 10*i) for i from first to first+n-1.
func post(t *testing.T, c *evchan.Container, first, n int) {
	t.Helper()
	id, err := ThreadID(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := first; i < first+n; i++ {
		if err := postThreadMessage(id, wmUser, uintptr(i), uintptr(i)*10); err != nil {
			t.Fatalf("PostThreadMessage %d: %v", i, err)
		}
	}
}

// PostThreadMessage to the message thread with M: each message is
// delivered once, in order, with its fields, and Count says how many a
// delivery carries (R3).
func TestMessagesPersistent(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Messages().Persistent(), "messages", 0)
	post(t, c, 1, 3)
	wantSequence(t, receive(t, c, id, 3), 1)
	if err := Post(c, wmUser, 4, 40); err != nil {
		t.Fatal(err)
	}
	wantSequence(t, receive(t, c, id, 1), 4)
	if c.Len() != 1 {
		t.Fatal("the persistent event was deleted")
	}
}

// A message posted while the container has no message event, as soon as
// ThreadID returned, waits in the queue for the first one.
func TestMessagesPostedBeforeAnyEvent(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	post(t, c, 1, 2)
	id := mustAdd(t, c, Messages().Persistent(), nil, 0)
	wantSequence(t, receive(t, c, id, 2), 1)
}

// A one-shot m carries one message; the next waits for the next event.
func TestOneShotMessageTakesOne(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	first := mustAdd(t, c, Messages(), nil, 0)
	post(t, c, 1, 2)
	wantSequence(t, receive(t, c, first, 1), 1)
	if c.Len() != 0 {
		t.Fatal("the one-shot event was not deleted (R1)")
	}
	second := mustAdd(t, c, Messages(), nil, 0)
	wantSequence(t, receive(t, c, second, 1), 2)
}

// Every message event of a container sees every message.
func TestMessagesToEveryEvent(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	a := mustAdd(t, c, Messages().Persistent(), "a", 0)
	b := mustAdd(t, c, Messages().Persistent(), "b", 0)
	post(t, c, 1, 5)
	got := map[evchan.ID][]Msg{}
	for len(got[a]) < 5 || len(got[b]) < 5 {
		e := next(t, c, "messages for two events")
		got[e.ID] = append(got[e.ID], Received(e)...)
	}
	wantSequence(t, got[a], 1)
	wantSequence(t, got[b], 1)
}

// A consumer that falls behind loses no message: the thread stops taking
// messages once the event holds MaxBatch/2 (they wait in the system's
// queue), and every delivery carries at most MaxBatch.
func TestMessagesBackPressure(t *testing.T) {
	const n = 3000
	rooms := make(chan bool, 16)
	f := func(room bool) {
		select {
		case rooms <- room:
		default:
		}
	}
	testHookMsgWait.Store(&f)
	defer testHookMsgWait.Store(nil)
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Messages().Persistent(), nil, 0)
	post(t, c, 0, n)
	waitFor(t, rooms, "the thread to stop taking messages", func(room bool) bool { return !room })
	testHookMsgWait.Store(nil)
	wantSequence(t, receive(t, c, id, n), 0)
}

// A message event times out like any other (R7), and a Timeout delivery
// carries no message.
func TestMessagesTimeout(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	id := mustAdd(t, c, Messages().Persistent(), nil, 10*time.Millisecond)
	e := next(t, c, "a timeout")
	if e.ID != id || e.Reason != evchan.Timeout || Received(e) != nil {
		t.Fatalf("got %v carrying %v, want a timeout of event %d carrying nothing", e, Received(e), id)
	}
	post(t, c, 1, 1)
	// A timeout may come first; the message is delivered all the same.
	for {
		e := next(t, c, "the message")
		if e.Reason == evchan.Message {
			wantSequence(t, Received(e), 1)
			break
		}
	}
}
