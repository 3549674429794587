package evchan

import "context"

// A Loop is a loop over All taken one step per call, for code that cannot
// range over an iterator: a binding that an interpreter calls once per
// event, as the Lua module's iterator is. It keeps every rule of a loop
// over AllContext(ctx, mode) (the package documentation, "C or a loop"):
// each Next is the loop's next step, which re-arms the persistent event
// the previous step delivered, and a NoWait loop takes only the events
// pending when the Loop was made. iter.Pull over AllContext does the same
// with a coroutine switch at each step, which costs more (much more on a
// thread locked to its goroutine, as a call from C is).
//
// Close ends the loop, as leaving a range loop does; until then the
// container counts it as running (and offers nothing on C meanwhile, as
// for any loop over All), so every Loop must be closed. A Loop is for one
// goroutine at a time.
type Loop struct {
	l    *loop
	done bool
	// ahead is the event the latest Ahead or TriggerAhead reported, for
	// TriggerAhead's took; 0 if none.
	ahead ID
}

// Loop starts a loop over the container's events in mode, which ends as
// AllContext's would: ctx done, Stop, Close, an empty container, or mode's
// wait passed.
func (c *Container) Loop(ctx context.Context, mode Mode) *Loop {
	l := c.startLoop(ctx, mode)
	l.startDirect()
	return &Loop{l: l}
}

// Next takes the loop's next event into ev, waiting as the loop's mode
// says, and reports false once the loop has ended (ev is then left as it
// was, and the Loop closed). It writes in place rather than return an
// Event: a binding that calls it once per event pays for every copy of an
// Event's eleven words, and more for one made just before (see
// BENCHMARKS.md, "The draft in a stock Lua").
func (l *Loop) Next(ev *Event) bool {
	l.ahead = 0 // the step takes it, if it is still there
	if l.done {
		return false
	}
	ok := l.l.next(ev)
	if !ok {
		l.Close()
	}
	return ok
}

// Ahead writes to ev the event the loop's next Next will take, when that
// is certain already, and reports whether it did; it takes nothing and
// waits for nothing. It is certain when the event at the head of the
// queue is a virtual event with no timeout, which nothing but a method of
// the container can change (no source, no deadline), and the step has
// nothing to do before it takes it: the event the loop delivered last has
// no source to re-arm, and the loop's mode lets it take that event. Any
// method of the container called between Ahead and that Next (a Trigger,
// a Del, a Stop...), by this goroutine or another, may void the answer;
// events that become pending meanwhile, firings of sources and deadlines,
// queue behind it and do not.
//
// It is for a binding whose calls into Go cost more than the work they
// do, as the Lua module's cgo calls do, and that alone calls the
// container's methods: with it, the binding hands the event to its
// interpreter at once, and makes the Next that takes it at the start of
// its next call into Go.
func (l *Loop) Ahead(ev *Event) bool {
	if l.done {
		return false
	}
	c := l.l.c
	c.mu.Lock()
	defer c.unlock()
	return l.report(ev)
}

// TriggerAhead is Trigger(id) called from the loop's body, followed by
// Ahead(ev), in one call that takes the container's lock once: the binding
// Ahead is for calls it after each trigger it makes. took says that the
// caller handed on the event the previous Ahead or TriggerAhead reported,
// as if Next had taken it: the call then makes the step that takes it
// first, as that Next would have, under the same lock (a Stop or the
// end of the loop's context meanwhile does not keep it from taking the
// event, which was handed on before). If that event is no longer at the
// head of the queue (a method of the container was called in between),
// nothing is taken for it.
func (l *Loop) TriggerAhead(took bool, id ID, ev *Event) (triggered, sure bool) {
	c := l.l.c
	c.mu.Lock()
	if took && l.ahead != 0 && !l.done {
		l.l.takeAheadLocked(l.ahead)
	}
	l.ahead = 0
	triggered = c.trigger(id)
	sure = !l.done && l.report(ev)
	c.unlock()
	return triggered, sure
}

// report writes the event the next step will take to ev, if that is
// certain, and remembers it for TriggerAhead's took. Called with mu held.
func (l *Loop) report(ev *Event) bool {
	l.ahead = 0
	e := l.l.certainHead()
	if e == nil {
		return false
	}
	e.fill(ev)
	l.ahead = e.id
	return true
}

// Close ends the loop, re-arming the persistent event it delivered last.
// Later calls do nothing.
func (l *Loop) Close() {
	if !l.done {
		l.done = true
		l.l.endDirect()
	}
}
