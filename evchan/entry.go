package evchan

import (
	"math"
	"time"
)

// entry is one event in a container. Everything in it is guarded by the
// container's mutex. It is kept small because a container may hold millions
// of timers: the fields only custom sources need live in entryExt.
//
// Its fields are ordered and sized to fill 80 bytes, a size class of Go's
// allocator: one field more costs 16 bytes per event.
type entry struct {
	id ID

	count     int32 // firings since the last delivery (R3), saturating
	heapIndex int32 // in the deadline heap, or -1
	pendSeq   seq   // when it last became pending, for NoWait loops (R13)
	kind      kind
	state     state
	reason    Reason // why it is pending
	flags     entryFlags

	// period is the interval of a timer, or the timeout of any other event
	// (timers ignore timeouts, R6); zero means none.
	period time.Duration
	// deadline is when the timer ticks or the timeout passes, in nanoseconds
	// since the container's base instant; meaningful while heapIndex >= 0.
	deadline int64

	prev, next *entry // links in the pending queue

	data any // Event.Data
	ext  *entryExt
}

// entryFlags are an entry's yes-or-no properties, in one byte.
type entryFlags uint8

const (
	flagPersistent entryFlags = 1 << iota
	flagTriggered             // virtual: the initial state given to Add (Event.Source)
	flagFinal                 // its source failed: delete it once delivered
	flagHeld                  // Hold: its re-arm waits for the release (hold.go)
	flagRearmOwed             // held when a loop would have re-armed it
)

func (e *entry) persistent() bool { return e.flags&flagPersistent != 0 }
func (e *entry) triggered() bool  { return e.flags&flagTriggered != 0 }
func (e *entry) final() bool      { return e.flags&flagFinal != 0 }

// addCount adds n firings to the count, which stops at the largest int32
// rather than wrap: a count that large says "very many" either way.
func (e *entry) addCount(n int64) {
	n += int64(e.count)
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	e.count = int32(n)
}

// seq orders the moments entries became pending. It wraps around after
// 2^32 of them; comparisons are made modulo 2^32 (after), which stays right
// while fewer than 2^31 events become pending during one NoWait loop.
type seq uint32

// after reports whether s comes after t.
func (s seq) after(t seq) bool { return int32(s-t) > 0 }

// entryExt holds what only events of custom sources need.
type entryExt struct {
	shown   any // Event.Source
	watcher Watcher
	// outcome is Event.Value of the latest firing or, while an error
	// reported by Handle.Error or Handle.Fail waits for its delivery, a
	// *reported holding both. Errors are rare: the usual event pays for
	// one field, not two (48 bytes for entryExt, where 56 would cost 64).
	outcome any
}

// reported is one error a source reported, with the latest value. Each
// report is a new one, so that a delivery clears the report it showed and
// not one made since, even of the same error value.
type reported struct {
	err   error
	value any
}

// result returns Event.Value and Event.Err.
func (x *entryExt) result() (value any, err error) {
	if r, ok := x.outcome.(*reported); ok {
		return r.value, r.err
	}
	return x.outcome, nil
}

// report records a firing's value, or the error it reported.
func (x *entryExt) report(value any, err error) {
	r, pendingErr := x.outcome.(*reported)
	switch {
	case err != nil:
		// Error and Fail leave the latest value.
		value, _ = x.result()
		x.outcome = &reported{err: err, value: value}
	case pendingErr:
		r.value = value // the error stays for its delivery
	default:
		x.outcome = value // nil included
	}
}

// reportedError returns the error report waiting for delivery, or nil.
func (x *entryExt) reportedError() *reported {
	r, _ := x.outcome.(*reported)
	return r
}

// clearReport forgets the error report r, once delivered, keeping the
// latest value. An error is reported with one delivery.
func (x *entryExt) clearReport(r *reported) {
	if r != nil && x.outcome == any(r) {
		x.outcome = r.value
	}
}

// timed reports whether the entry is sure to fire some day by itself: a
// timer, or an event with a timeout. Auto loops block only if one exists.
func (e *entry) timed() bool { return e.kind == kindTimer || e.period > 0 }

// pendingTimeout reports whether e is pending for its timeout alone, not a
// timer (whose own reason is Timeout).
func (e *entry) pendingTimeout() bool {
	return e.queued() && e.reason == Timeout && e.kind != kindTimer
}

// endsOnDelivery reports whether delivering e deletes it: a one-shot event
// (R1), or one whose source failed.
func (e *entry) endsOnDelivery() bool { return !e.persistent() || e.final() }

// event makes the Event that delivers e.
func (e *entry) event() (ev Event) {
	e.fill(&ev)
	return ev
}

// fill writes the Event that delivers e to ev, field by field. A step of a
// loop fills its caller's Event in place: an Event made as a local and
// returned is copied out in 16-byte loads of the 8-byte stores that made
// it, which the processor cannot forward (a stall that cost a sixth of a
// step).
func (e *entry) fill(ev *Event) {
	ev.ID, ev.Reason, ev.Last = e.id, e.reason, e.endsOnDelivery()
	ev.Data, ev.Count = e.data, int(e.count)
	switch e.kind {
	case kindVirtual:
		ev.Source, ev.Value, ev.Err = e.triggered(), nil, nil
	case kindTimer:
		ev.Source, ev.Value, ev.Err = e.period, nil, nil
	default:
		ev.Source = e.ext.shown
		ev.Value, ev.Err = e.ext.result()
	}
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
