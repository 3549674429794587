package winhandle

import (
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/windows"
)

func messagesSupported() error { return nil }

// threadKey names the container's message thread among its services.
type threadKey struct{}

// threadOf returns the message thread of a container, given as itself or
// as the Handle of one of its events, starting the thread if need be.
func threadOf(c serviceHolder) (*msgThread, error) {
	svc, err := c.Service(threadKey{}, func() (io.Closer, error) { return startMsgThread() })
	if err != nil {
		return nil, err
	}
	return svc.(*msgThread), nil
}

// serviceHolder is what keeps a container's services: its
// *evchan.Container, or the evchan.Handle of one of its events.
type serviceHolder interface {
	Service(key any, start func() (io.Closer, error)) (io.Closer, error)
}

// Watch registers the event with the container's message thread.
func (msgSource) Watch(h evchan.Handle) (evchan.Watcher, error) {
	t, err := threadOf(h)
	if err != nil {
		return nil, err
	}
	w := &msgWatch{t: t, h: h, persistent: h.Persistent(), wanting: true}
	if err := t.add(w); err != nil {
		return nil, err
	}
	return w, nil
}

// A msgThread is one container's message thread: an OS thread of its own
// (the one a message queue belongs to) that takes messages from its queue
// and hands them to the container's message events.
type msgThread struct {
	id   uint32         // the thread's ID, for PostThreadMessage
	wake windows.Handle // auto-reset: Watch, Rearm, Stop and Close wake the thread
	done chan struct{}  // closed as the thread ends

	mu      sync.Mutex
	closing bool
	watches []*msgWatch
	// backlog holds the messages taken from the queue that no event
	// counted: handed to events deleted meanwhile (a one-shot one timed
	// out, say) whose Stop had not come yet. They go out first, in order,
	// to the next event that wants messages.
	backlog []Msg
}

// A msgWatch is one message event's registration with the thread.
type msgWatch struct {
	t          *msgThread
	h          evchan.Handle
	persistent bool

	// Guarded by t.mu.
	wanting bool  // takes messages: persistent, or a one-shot one that has none yet
	window  []Msg // its latest messages, at most MaxBatch: what Batch shows
	unacked int   // messages handed to it since its last Rearm
}

// testHookMsgWait, when set, is called by a message thread before each wait
// with whether it waits for messages too or for its wake event only.
var testHookMsgWait atomic.Pointer[func(messages bool)]

// testHookThreadStarted, when set, is called with the ID of each message
// thread started, once it can be posted to.
var testHookThreadStarted atomic.Pointer[func(id uint32)]

// startMsgThread starts a message thread and returns it once its queue
// exists, so that a message posted as soon as its ID is known is kept.
func startMsgThread() (*msgThread, error) {
	wake, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		return nil, errs.In("winhandle: no message thread could be started: CreateEvent", err)
	}
	t := &msgThread{wake: wake, done: make(chan struct{})}
	ready := make(chan struct{})
	go t.run(ready)
	<-ready
	if hook := testHookThreadStarted.Load(); hook != nil {
		(*hook)(t.id)
	}
	return t, nil
}

// run is the thread. It keeps the OS thread locked to the end, so that the
// thread, and with it its queue and any message left in it, ends with the
// goroutine instead of serving other goroutines.
func (t *msgThread) run(ready chan<- struct{}) {
	runtime.LockOSThread()
	defer close(t.done)
	var m msg
	peekMessage(&m, pmNoRemove) // the first call gives the thread its queue
	t.id = windows.GetCurrentThreadId()
	close(ready)
	for {
		t.mu.Lock()
		if t.closing {
			t.mu.Unlock()
			return
		}
		room := t.hasRoom()
		if room && len(t.backlog) > 0 {
			next := t.backlog[0]
			t.backlog = t.backlog[1:]
			t.hand(next)
			t.mu.Unlock()
			continue
		}
		if room && peekMessage(&m, pmRemove) {
			t.hand(Msg{HWnd: m.hwnd, Message: m.message, WParam: m.wParam, LParam: m.lParam, Time: m.time})
			t.mu.Unlock()
			continue
		}
		t.mu.Unlock()
		// The queue is empty, or some event has no room: wait for a new
		// message only in the first case. Messages left in the queue when
		// there is no room are taken once the wake event says there is.
		var mask uint32
		if room {
			mask = qsAllInput
		}
		if hook := testHookMsgWait.Load(); hook != nil {
			(*hook)(room)
		}
		if _, err := msgWait(t.wake, mask); err != nil {
			windows.WaitForSingleObject(t.wake, windows.INFINITE)
		}
	}
}

// hasRoom reports whether the thread may take a message: some event wants
// it, and every event that wants it has room for it (MaxBatch). Called with
// t.mu held.
func (t *msgThread) hasRoom() bool {
	some := false
	for _, w := range t.watches {
		if w.wanting {
			if w.unacked >= MaxBatch/2 {
				return false
			}
			some = true
		}
	}
	return some
}

// hand gives m to every event that wants it: one firing per message, with
// the event's latest messages as Value, so that a delivery's Count is the
// number of messages it carries and Received finds them at the end of its
// Batch. Fire only takes the container's lock briefly and never calls back
// into the source, so it is made with t.mu held, which keeps the firings in
// the order the messages were taken. An event that did not count its
// firing is deleted, its Stop to come: it wants no more, and if no event
// counted m, m waits in the backlog. Called with t.mu held.
func (t *msgThread) hand(m Msg) {
	counted := false
	for _, w := range t.watches {
		if !w.wanting {
			continue
		}
		if len(w.window) == MaxBatch {
			// The oldest messages were delivered already: a delivery
			// carries at most MaxBatch (see Rearm). Elements already
			// handed out are never written: append copies once the
			// array is full.
			w.window = w.window[1:]
		}
		w.window = append(w.window, m)
		w.unacked++
		if !w.persistent {
			w.wanting = false // a one-shot event carries one message
		}
		if w.h.TryFire(evchan.Message, Batch{window: slices.Clip(w.window)}) {
			counted = true
		} else {
			w.wanting = false
		}
	}
	if !counted {
		t.backlog = append(t.backlog, m)
	}
}

// add registers w with the thread.
func (t *msgThread) add(w *msgWatch) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return evchan.ErrClosed
	}
	t.watches = append(t.watches, w)
	windows.SetEvent(t.wake)
	return nil
}

// Rearm makes room for new messages: the event was delivered. The messages
// handed to it before the delivery are in that delivery; those handed to it
// between the delivery and this call are at most MaxBatch/2, since the
// previous Rearm; and it is handed at most MaxBatch/2 more before its next
// delivery or Rearm. So a delivery carries at most MaxBatch messages, the
// size of the window each firing shows.
func (w *msgWatch) Rearm() {
	t := w.t
	t.mu.Lock()
	defer t.mu.Unlock()
	w.unacked = 0
	t.wakeLocked()
}

// Stop ends the registration; the messages handed to it that were not
// delivered go with its event, which is deleted already.
func (w *msgWatch) Stop() {
	t := w.t
	t.mu.Lock()
	defer t.mu.Unlock()
	t.watches = slices.DeleteFunc(t.watches, func(x *msgWatch) bool { return x == w })
	w.wanting = false
	t.wakeLocked()
}

// wakeLocked wakes the thread, unless Close has begun: Close closes the
// wake event, whose handle value may then name another object of the
// process, and a Rearm or Stop may come after it (a Del racing with
// Close). Called with t.mu held, which Close takes to set closing.
func (t *msgThread) wakeLocked() {
	if !t.closing {
		windows.SetEvent(t.wake)
	}
}

// Close ends the thread; the messages still in its queue are discarded
// with it.
func (t *msgThread) Close() error {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	windows.SetEvent(t.wake)
	<-t.done
	return windows.CloseHandle(t.wake)
}
