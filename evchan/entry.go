package evchan

import "time"

// state is where an entry is in its life.
type state uint8

const (
	starting state = iota // a custom source's Watch has not returned yet
	idle                  // waiting for its condition
	pending               // fired, in the pending queue, not yet delivered
	deleted               // gone: delivered one-shot, Del, Clear or Close
)

// entry is one event in a container. Everything in it is guarded by the
// container's mutex. It is kept small because a container may hold millions
// of timers: the fields only custom sources need live in entryExt.
type entry struct {
	id         ID
	kind       kind
	persistent bool
	triggered  bool // virtual: the initial state given to Add (Event.Source)
	state      state
	reason     Reason // why it is pending
	final      bool   // its source failed: delete it once delivered
	count      int    // firings since the last delivery (R3)

	// period is the interval of a timer, or the timeout of any other event
	// (timers ignore timeouts, R6); zero means none.
	period time.Duration
	// deadline is when the timer ticks or the timeout passes, in nanoseconds
	// since the container's base instant; meaningful while heapIndex >= 0.
	deadline  int64
	heapIndex int

	pendSeq    uint64 // when it last became pending, for NoWait loops (R13)
	prev, next *entry // links in the pending queue

	context any
	ext     *entryExt
}

// entryExt holds what only events of custom sources need.
type entryExt struct {
	shown   any // Event.Source
	watcher Watcher
	value   any    // Event.Value of the latest firing
	err     error  // set by Handle.Fail
	errSeq  uint64 // counts the errors reported, so a delivery clears only the one it showed
}

// timed reports whether the entry is sure to fire some day by itself: a
// timer, or an event with a timeout. Auto loops block only if one exists.
func (e *entry) timed() bool { return e.kind == kindTimer || e.period > 0 }

// endsOnDelivery reports whether delivering e deletes it: a one-shot event
// (R1), or one whose source failed.
func (e *entry) endsOnDelivery() bool { return !e.persistent || e.final }

// event makes the Event that delivers e.
func (e *entry) event() Event {
	ev := Event{ID: e.id, Reason: e.reason, Context: e.context, Count: e.count}
	switch e.kind {
	case kindVirtual:
		ev.Source = e.triggered
	case kindTimer:
		ev.Source = e.period
	default:
		ev.Source, ev.Value, ev.Err = e.ext.shown, e.ext.value, e.ext.err
	}
	return ev
}

// pendingQueue is the FIFO of pending entries (R4), linked through the
// entries themselves so that Del removes from its middle in O(1).
type pendingQueue struct {
	head, tail *entry
}

func (q *pendingQueue) push(e *entry) {
	e.prev, e.next = q.tail, nil
	if q.tail == nil {
		q.head = e
	} else {
		q.tail.next = e
	}
	q.tail = e
}

func (q *pendingQueue) remove(e *entry) {
	if e.prev == nil {
		q.head = e.next
	} else {
		e.prev.next = e.next
	}
	if e.next == nil {
		q.tail = e.prev
	} else {
		e.next.prev = e.prev
	}
	e.prev, e.next = nil, nil
}
