package evchan

import (
	"math"
	"sync"
	"time"
)

// A Container holds events and delivers the ones that fire on C. See the
// package documentation for the rules it keeps. Make one with New: the
// zero Container holds nothing and cannot be used (its C is nil, Add and
// the other methods that return an error fail with one wrapping
// ErrInvalid that names New, the others report false or nothing).
//
// All methods are safe for concurrent use, including from inside a loop over
// its events and from a Source (R14). None of them waits for a consumer: a
// consumer that stops receiving holds up deliveries, never control calls.
type Container struct {
	// C delivers the events that fire, one at a time, in the order they
	// became pending (R4). It is unbuffered: an event stays pending, and can
	// still be deleted, until a receive takes it. C is closed by Close.
	C <-chan Event

	out  chan Event    // C, as the supervisor sends on it
	wake chan struct{} // capacity 1: control calls nudge the supervisor
	gone chan struct{} // closed by the supervisor as it ends

	services serviceSet

	mu      sync.Mutex
	settled *sync.Cond // signalled when an offer on C is resolved
	base    time.Time  // deadlines count nanoseconds from here (monotonic)
	closed  bool

	ids       idTable // the live entries by ID (ids.go)
	lastID    ID
	nTimed    int // entries that are timers or carry a timeout (Auto mode)
	queue     pendingQueue
	deadlines deadlineHeap
	lastSeq   seq // the pendSeq most recently given out

	// The delivery protocol (state.go): the offer on C in progress, the
	// loops over All and steps of Next, the NoWait steps of Next, and a
	// loop waiting in the kernel (inline.go).
	offer  offerState
	loops  loopState
	noWait noWaitState
	inline inlineState

	armed       int64  // deadline the supervisor's timer is set for; -1 if none
	supervising bool   // the supervisor holds mu: no need to wake it
	rounds      uint64 // times the supervisor looked at the container, for tests of its cost

	stopped chan struct{} // closed by Stop, then replaced (R10)
	emptied chan struct{} // closed while the container holds no event (R13)

	// The first panic of a Watcher's Stop, and how many there were, for
	// Close to return (usercode.go).
	panicked error
	panics   int

	// Deliveries since the Probers were last asked to look, and whether it
	// is time to ask them (probe.go).
	sinceProbe int
	probeDue   bool
}

// New returns an empty container with its supervisor goroutine running.
// Close ends it.
func New() *Container {
	c := &Container{
		out:     make(chan Event),
		wake:    make(chan struct{}, 1),
		gone:    make(chan struct{}),
		noWait:  noWaitState{resp: make(chan pulled, 1)},
		base:    time.Now(),
		armed:   -1,
		loops:   loopState{until: math.MaxInt64},
		inline:  inlineState{until: math.MaxInt64},
		stopped: make(chan struct{}),
		emptied: make(chan struct{}),
	}
	close(c.emptied)
	c.C = c.out
	c.settled = sync.NewCond(&c.mu)
	go c.supervise()
	return c
}

// now is the monotonic time since c.base, in nanoseconds.
func (c *Container) now() int64 { return int64(time.Since(c.base)) }

// after returns the deadline d from now, saturating instead of overflowing.
func (c *Container) after(d time.Duration) int64 {
	now := c.now()
	if int64(d) > math.MaxInt64-now {
		return math.MaxInt64
	}
	return now + int64(d)
}

// Add adds the event that spec describes, with data as what its
// deliveries carry in Event.Data (the draft's associated object: any value
// of yours, such as the connection an event is about) and an optional
// timeout (zero means none; R7), and returns its new ID.
//
// It fails with an error wrapping ErrInvalid for a bad spec or a negative
// timeout, ErrClosed after Close, or the error of the spec's Source (which
// wraps errors.ErrUnsupported for a kind this platform cannot watch). A
// failed Add changes nothing. The timeout is ignored for timers (R6).
//
// A custom source's Watch runs without the container's lock (R14), and
// the event counts in Len from the moment Add begins. If Clear runs
// while Watch is under way, the event is deleted with the others once
// Watch returns: Add still returns its ID, which SetData, Trigger and Del
// then report unknown, as after any Clear.
func (c *Container) Add(spec Spec, data any, timeout time.Duration) (ID, error) {
	if err := c.usable(); err != nil {
		return 0, err
	}
	if err := spec.Err(); err != nil {
		return 0, err
	}
	if timeout < 0 {
		return 0, invalidf("negative timeout %v", timeout)
	}
	e := &entry{kind: spec.kind, data: data, heapIndex: -1}
	if spec.persistent {
		e.flags |= flagPersistent
	}
	switch spec.kind {
	case kindVirtual:
		if spec.triggered {
			e.flags |= flagTriggered
		}
		e.period = timeout
	case kindTimer:
		e.period = spec.interval
	case kindCustom:
		e.period = timeout
		e.ext = &entryExt{shown: spec.shown}
	}

	c.mu.Lock()
	if c.closed {
		c.unlock()
		return 0, ErrClosed
	}
	c.lastID++
	e.id = c.lastID
	c.insert(e)
	if spec.kind != kindCustom {
		c.activate(e)
		c.unlock()
		return e.id, nil
	}
	c.unlock()

	// The source's Watch is user code: call it without the lock (R14). The
	// entry is in the map already, in state starting, so firings during
	// Watch are counted and delivered once Watch succeeds.
	w, err := watch(spec.source, Handle{c: c, e: e})
	c.mu.Lock()
	if err != nil {
		if e.state != deleted {
			c.remove(e)
		}
		c.unlock()
		if w != nil {
			c.stopWatcher(w)
		}
		return 0, err
	}
	if e.state == deleted { // Clear or Close ran during Watch
		closed := c.closed
		c.unlock()
		if w != nil {
			c.stopWatcher(w)
		}
		if closed {
			return 0, ErrClosed
		}
		return e.id, nil
	}
	e.ext.watcher = w
	c.activate(e)
	c.unlock()
	return e.id, nil
}

// insert puts a new entry in the map. Called with mu held.
func (c *Container) insert(e *entry) {
	if c.ids.len() == 0 {
		c.emptied = make(chan struct{})
	}
	c.ids.put(e)
	if e.timed() {
		c.nTimed++
	}
}

// startTimeout (re)starts an idle event's timeout, or clears it. R7.
func (c *Container) startTimeout(e *entry) {
	if e.kind == kindTimer {
		return
	}
	if e.period > 0 {
		c.setDeadline(e, c.after(e.period))
	} else {
		c.deadlines.remove(e)
	}
}

// setDeadline puts e in the deadline heap, waking the supervisor if its
// timer is set for later than the new deadline. While loops over All take
// events themselves the deadlines are theirs (the supervisor's timer is
// off): waking the supervisor at every re-applied timeout would cost a
// thread wake-up an event for nothing, so it is told when they stop.
func (c *Container) setDeadline(e *entry, deadline int64) {
	c.deadlines.set(e, deadline)
	if c.loopsTakeThemselves() {
		c.loops.deferred = true
	} else if c.armed < 0 || deadline < c.armed {
		c.kick()
	}
	if deadline < c.inline.until || deadline < c.loops.until {
		c.wakeLoops() // a loop waits until later
	}
}

// kick wakes the supervisor so it looks at the container again. Called with
// mu held.
func (c *Container) kick() {
	if c.supervising {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// fire is Handle.Fire, Handle.Error and Handle.Fail.
func (c *Container) fire(e *entry, reason Reason, value any, err error, final bool) (counted bool) {
	if reason == 0 {
		reason = Triggered
	}
	c.mu.Lock()
	defer c.unlock()
	if e.state == deleted {
		return false
	}
	e.ext.report(value, err)
	if final {
		e.flags |= flagFinal
	}
	if e.state == starting {
		e.addCount(1)
		if e.reason == 0 || e.reason == Timeout {
			e.reason = reason
		}
		return true
	}
	c.markFired(e, reason, 1)
	// An offer in flight was made before this firing: have the supervisor
	// resolve it before Fire returns, so that a receive that starts after
	// Fire returned sees the firing (R3). If a consumer took the offer of
	// a one-shot event meanwhile, the event went with it, and this firing
	// was never delivered.
	c.settle(e)
	return e.state != deleted
}

// lookup returns the live entry for id, or nil. Called with mu held.
func (c *Container) lookup(id ID) *entry {
	e := c.ids.get(id)
	if e == nil || e.state == starting {
		return nil
	}
	return e
}
