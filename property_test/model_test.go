package property_test

import (
	"slices"
	"time"

	"github.com/evchan/evchan/evchan"
)

// model is the container as CONTRACT.md describes it, with time made explicit:
// nothing in it runs by itself, the machine moves its clock with advance.
// It is written from the rules, not from evchan's code, so that the two can
// disagree; where the spec leaves a detail open (the Count after a real
// trigger replaces a pending timeout) it follows what evchan documents.
type model struct {
	now    time.Duration // virtual time since the container was created
	events map[evchan.ID]*modelEvent
	queue  []evchan.ID // pending events, in the order they became pending (R4)
	issued map[evchan.ID]bool
	maxID  evchan.ID
	seq    uint64 // counts events becoming pending: a NoWait step's limit (R13)
}

// modelEvent is one event of the model: a virtual event or a timer.
type modelEvent struct {
	id         evchan.ID
	timer      bool
	persistent bool
	triggered  bool          // virtual: the initial state, reported as Event.Source
	interval   time.Duration // timer
	timeout    time.Duration // virtual; zero means none (timers ignore it, R6)
	data       any

	pending bool
	reason  evchan.Reason
	count   int
	seq     uint64 // when it last became pending, by model.seq

	// A persistent timer's Event on C is made as the container offers it,
	// and ticks falling while it waits there for a receiver are counted in
	// its next delivery: pendingCount is its count when it became pending,
	// the least such an Event may say, and carry what the last delivery
	// left out.
	pendingCount int
	carry        int

	armed    bool          // deadline holds a timer tick or a timeout to come
	deadline time.Duration // on the model's clock
}

func newModel() *model {
	return &model{events: map[evchan.ID]*modelEvent{}, issued: map[evchan.ID]bool{}}
}

// add records an event that Add returned id for.
func (m *model) add(e *modelEvent) {
	m.events[e.id] = e
	m.issued[e.id] = true
	m.maxID = max(m.maxID, e.id)
	switch {
	case e.timer:
		e.armed, e.deadline = true, m.now+e.interval // R6: first tick after one interval
	case e.triggered:
		m.fire(e, evchan.Triggered, 1) // R5: true means pending at once
	default:
		m.restartTimeout(e) // R7: the clock starts at Add
	}
}

// fire records n firings of e for reason (R3, R7).
func (m *model) fire(e *modelEvent, reason evchan.Reason, n int) {
	if !e.pending {
		e.pending, e.reason, e.count = true, reason, e.carry+n
		e.carry, e.pendingCount = 0, e.count
		m.seq++
		e.seq = m.seq
		m.queue = append(m.queue, e.id)
		if !e.timer {
			e.armed = false // a pending event's timeout waits for its delivery
		}
		return
	}
	if e.reason == evchan.Timeout && reason != evchan.Timeout {
		// R7: a real firing wins over a timeout not yet delivered. evchan
		// counts only the real firings then, the timeout was not one.
		e.reason, e.count = reason, 0
	}
	e.count += n
}

// restartTimeout starts an idle virtual event's timeout afresh, or clears it.
func (m *model) restartTimeout(e *modelEvent) {
	if e.timer {
		return
	}
	e.armed = e.timeout > 0
	e.deadline = m.now + e.timeout
}

// trigger is Trigger: only live virtual events answer (R5, R2).
func (m *model) trigger(id evchan.ID) bool {
	e := m.events[id]
	if e == nil || e.timer {
		return false
	}
	m.fire(e, evchan.Triggered, 1)
	return true
}

// set is Set; timeout is nil when none is given (R8).
// setData is SetData: the sentinel its error must wrap, or nil (R2, R8).
func (m *model) setData(id evchan.ID, data any) error {
	e := m.events[id]
	if e == nil {
		return evchan.ErrNotFound
	}
	e.data = data
	return nil
}

// setTimeout is SetTimeout: the sentinel its error must wrap, or nil (R7,
// R15).
func (m *model) setTimeout(id evchan.ID, timeout time.Duration) error {
	e := m.events[id]
	switch {
	case timeout < 0:
		return evchan.ErrInvalid
	case e == nil:
		return evchan.ErrNotFound
	case e.timer:
		return nil // a timer has no timeout (R6)
	}
	e.timeout = timeout
	if e.pending && e.reason == evchan.Timeout {
		// R7: the clock is replaced, so a timeout that passed on the old
		// one is not delivered.
		m.queue = slices.DeleteFunc(m.queue, func(q evchan.ID) bool { return q == id })
		e.pending, e.reason, e.count = false, 0, 0
	}
	if !e.pending {
		m.restartTimeout(e) // R7: a SetTimeout restarts the clock
	}
	return nil
}

// del is Del (R9).
func (m *model) del(id evchan.ID) bool {
	e := m.events[id]
	if e == nil {
		return false
	}
	delete(m.events, id)
	if e.pending {
		m.queue = slices.DeleteFunc(m.queue, func(q evchan.ID) bool { return q == id })
	}
	return true
}

// clear is Clear (R11).
func (m *model) clear() {
	clear(m.events)
	m.queue = nil
}

// deliver takes the head of the queue as a receive would, or reports false
// when nothing is pending. offered says that the receive took an Event the
// container made before it, as an offer on C (R3, R6): a persistent timer
// then counts at least the ticks up to when it became pending and at most
// those up to now, and gotCount, if within those bounds, is taken for its
// Count, the rest being carried to its next delivery.
func (m *model) deliver(offered bool, gotCount int) (evchan.Event, bool) {
	if len(m.queue) == 0 {
		return evchan.Event{}, false
	}
	e := m.events[m.queue[0]]
	m.queue = m.queue[1:]
	count := e.count
	if offered && e.timer && e.persistent && e.pendingCount <= gotCount && gotCount <= e.count {
		count, e.carry = gotCount, e.count-gotCount
	}
	ev := evchan.Event{ID: e.id, Reason: e.reason, Last: !e.persistent, Data: e.data, Count: count, Source: any(e.triggered)}
	if e.timer {
		ev.Source = e.interval
	}
	if !e.persistent {
		delete(m.events, e.id) // R1
		return ev, true
	}
	e.pending, e.reason, e.count = false, 0, 0
	m.restartTimeout(e) // R7: restarts at each delivery of a persistent event
	return ev, true
}

// autoStep is one step of a loop in Auto mode that started when m.seq was
// limit (R13): if a timer or a timeout is certain to fire, it waits for the
// next event as Block does, advancing the clock to its deadline if nothing
// is pending; otherwise it takes, as NoWait does, the head of the queue
// only if it was pending when the loop started. It reports how long the
// step waited, and false if the loop ends; the model is unchanged then.
func (m *model) autoStep(limit uint64) (evchan.Event, time.Duration, bool) {
	if len(m.events) == 0 {
		return evchan.Event{}, 0, false
	}
	var wait time.Duration
	if m.timed() {
		if len(m.queue) == 0 {
			wait = m.earliest().deadline - m.now
			m.advance(wait)
		}
	} else if len(m.queue) == 0 || m.events[m.queue[0]].seq > limit {
		return evchan.Event{}, 0, false
	}
	ev, _ := m.deliver(false, 0)
	return ev, wait, true
}

// advance moves the clock by d and fires every deadline on the way. Events
// become pending in the order of their first firing, ties by ID as the
// container's heap breaks them; later ticks of a pending persistent timer
// only add to its Count (R3, R6), so each event is settled in one go.
func (m *model) advance(d time.Duration) {
	target := m.now + d
	for {
		e := m.earliest()
		if e == nil || e.deadline > target {
			break
		}
		switch {
		case e.timer && e.persistent:
			ticks := 1 + int((target-e.deadline)/e.interval) // R6: fixed rate
			e.deadline += time.Duration(ticks) * e.interval
			m.fire(e, evchan.Timeout, 1) // pending from its first tick on
			e.count += ticks - 1
		default: // a one-shot timer, or a timeout (R7)
			e.armed = false
			m.fire(e, evchan.Timeout, 1)
		}
	}
	m.now = target
}

// earliest returns the armed event with the first deadline, ties by ID.
func (m *model) earliest() *modelEvent {
	var first *modelEvent
	for _, e := range m.events {
		if e.armed && (first == nil || e.deadline < first.deadline ||
			e.deadline == first.deadline && e.id < first.id) {
			first = e
		}
	}
	return first
}

// ticksWithin counts the timer ticks and timeouts that advance(d) would
// fire, which is what sleeping d costs the real container.
func (m *model) ticksWithin(d time.Duration) int {
	n := 0
	for _, e := range m.events {
		if !e.armed || e.deadline > m.now+d {
			continue
		}
		n++
		if e.timer && e.persistent {
			n += int((m.now + d - e.deadline) / e.interval)
		}
	}
	return n
}

// timed reports whether Auto blocks: a timer, or an event with a timeout,
// is certain to fire some day (R13).
func (m *model) timed() bool {
	for _, e := range m.events {
		if e.timer || e.timeout > 0 {
			return true
		}
	}
	return false
}

// liveIDs and deadIDs list IDs in a fixed order, so that rapid draws are
// reproducible (map order is not).
func (m *model) liveIDs() []evchan.ID {
	ids := make([]evchan.ID, 0, len(m.events))
	for id := range m.events {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (m *model) deadIDs() []evchan.ID {
	var ids []evchan.ID
	for id := range m.issued {
		if m.events[id] == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
