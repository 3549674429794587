package poll

import (
	"errors"
	"time"
)

// A descriptor closed while registered (R15) is noticed by the kernel in
// some cases and not in others, and a check of our own costs a system call
// per descriptor, which the hot path cannot pay at every report. So the
// poller checks where a report looks suspicious, and now and then all of
// them:
//
//   - poll(2) and WSAPoll report a closed number (POLLNVAL), and the
//     poller compares each reported descriptor's file with the one it
//     watched (pollsys_unix.go, wsapoll_windows.go).
//   - epoll and kqueue drop a closed descriptor silently, so its events
//     would wait for ever; and epoll keeps reporting a file closed under
//     its number while another descriptor keeps it open (a dup, a fork),
//     under that number, whatever file the number names now (epoll(7)).
//     Reading the number then finds nothing, the descriptor stays ready,
//     and a level-triggered poller would spin. So the poller checks a
//     descriptor (suspect, replaced) when it is ready again in the first
//     poll after its own re-arm left nothing outstanding, whichever polls,
//     which is how an undrainable descriptor shows (the first three times
//     for each descriptor: a busy one, often ready at once, soon costs
//     nothing), and any descriptor reported in 64 polls in a row, which
//     bounds how long one that is never the last re-armed can go unseen.
//   - every sweepPeriod, the goroutine checks every descriptor (sweep), so
//     that an event whose descriptor was closed and never reported again
//     does not stay in the container unnoticed.
//   - when epoll reports nothing but stale registrations, which no
//     epoll_ctl can remove, the poller starts a new epoll set (rebuild).
//
// A descriptor found replaced or closed has its events delivered once with
// ErrClosedWhileRegistered, and deleted.

// repeatCap is the longest run of polls in a row, reporting a descriptor,
// without a check of it.
const repeatCap = 64

// triggerChecks is how many times a descriptor ready again in the poll its
// own re-arm made is checked for that.
const triggerChecks = 3

// suspect notes that head's descriptor is reported with an event to fire
// by the poll numbered p.reports, the first after trigger's re-arm if
// trigger is not nil, and reports whether it is to be checked now. The poll
// numbers are kept to 8 bits: a report 256 polls after the last one looks
// like the next, which costs at worst a check more. Called with mu held.
func (p *poller) suspect(head *registration, trigger *registration) bool {
	now := uint8(p.reports)
	if head.lastReport == now-1 {
		head.streak++
	} else {
		head.streak = 1
	}
	head.lastReport = now
	if trigger != nil && head.passed < triggerChecks && p.fds.get(int(trigger.fd)) == head {
		head.passed++
		return true
	}
	if head.streak >= repeatCap {
		head.streak = 0
		return true
	}
	return false
}

// replaced reports whether head's number no longer names the file its
// events were added for. Called with mu held.
func (p *poller) replaced(head *registration) bool {
	fd := int(head.fd)
	if head.always {
		return !sameFile(fd, p.files[fd])
	}
	var stale errStale
	return errors.As(p.mech.verify(fd, head.gen, head.fdWant), &stale)
}

// sweepPeriod is how often the goroutine checks every descriptor, at the
// least: with many descriptors, a millisecond each (sweepEvery), so that
// sweeps never take more than a fraction of a percent of a processor.
var sweepPeriod = 10 * time.Second

// sweepEvery returns the time between sweeps of n descriptors.
func sweepEvery(n int) time.Duration {
	return max(sweepPeriod, time.Duration(n)*time.Millisecond)
}

// scheduleSweep starts the sweep timer, if it is not running, as the
// first descriptor is registered. The timer is set once a period, not at
// each wait of the goroutine: a runtime timer set again and again costs at
// every delivery, and can wake the runtime's own poller each time. Called
// with mu held.
func (p *poller) scheduleSweep() {
	if p.sweepArmed || p.sweepDue {
		return // a sweep is coming: a new descriptor does not put it off
	}
	p.sweepArmed = true
	if p.sweepTimer == nil {
		p.sweepTimer = time.AfterFunc(sweepEvery(p.fds.len()+1), p.sweepTime)
	} else {
		p.sweepTimer.Reset(sweepEvery(p.fds.len() + 1))
	}
}

// sweepTime is the sweep timer's function: it has the goroutine sweep,
// waking it wherever it waits.
func (p *poller) sweepTime() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return // the mechanism may be closed, its numbers reused
	}
	p.sweepArmed, p.sweepDue = false, true
	p.nudge()
	p.mech.wake()
}

// sweepIfDue sweeps if the sweep timer said so. Called by the goroutine,
// mu not held.
func (p *poller) sweepIfDue() {
	p.mu.Lock()
	if !p.sweepDue || p.closed {
		p.mu.Unlock()
		return
	}
	heads := p.fds.all()
	p.mu.Unlock()

	// In batches, so that Rearm and Stop go on between them.
	var orphans []*registration
	for len(heads) > 0 && !p.isClosed() {
		batch := heads[:min(64, len(heads))]
		heads = heads[len(batch):]
		p.mu.Lock()
		for _, head := range batch {
			if p.fds.get(int(head.fd)) == head && head.state != ended && p.replaced(head) {
				orphans = append(orphans, p.forget(head)...)
			}
		}
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.sweepDue = false
	if p.fds.len() > 0 && !p.closed {
		p.sweepArmed = true
		p.sweepTimer.Reset(sweepEvery(p.fds.len()))
	} // else the next registration starts it
	p.mu.Unlock()
	failAll(orphans)
}

func (p *poller) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// rebuild starts a new epoll set when a poll found nothing but stale
// reports: epoll may hold a file closed under its number but alive under
// another (epoll(7)), which no epoll_ctl can remove. The numbers that no
// longer name the file they were watched for are left out, and their
// events returned to be failed (R15). Called by the goroutine, no lock
// held: it keeps the inline polls out, since the set they poll changes.
func (p *poller) rebuild() []*registration {
	rb := p.mech.(rebuilder)
	p.inline.Lock()
	defer p.inline.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	var regs []watched
	for _, head := range p.fds.all() {
		if !head.always {
			regs = append(regs, watched{int(head.fd), head.gen, head.fdWant, head.muted})
		}
	}
	var orphans []*registration
	for _, fd := range rb.rebuild(regs) {
		if head := p.fds.get(fd); head != nil {
			orphans = append(orphans, p.forget(head)...)
		}
	}
	return orphans
}
