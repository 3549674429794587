package poll

import "github.com/evchan/evchan/internal/errs"

// run is the poller's goroutine. It waits, blocking, whenever every
// reported event was taken and no inline poll (pollInline) is under way.
// Its sweep timer wakes it to check every descriptor (check.go).
func (p *poller) run() {
	defer close(p.done)
	var ready []readiness
	var fire []firing
	for {
		p.mu.Lock()
		for (p.outstanding > 0 || p.polling || p.loopOwned || p.inKernel != nobody) && !p.closed && p.broken == nil {
			p.mu.Unlock()
			<-p.resume
			p.sweepIfDue() // a sweep comes on time, consumer or not
			p.mu.Lock()
		}
		if p.closed || p.broken != nil {
			p.mu.Unlock()
			return
		}
		p.polling = true
		p.inKernel = goroutine
		var err error
		ready, err = p.pollFresh(p.waiter, ready, -1)
		p.inKernel = nobody
		p.kernelFree.Broadcast()
		if err != nil {
			p.mu.Unlock()
			p.breakDown(err)
			return
		}
		p.polling = false
		var orphans []*registration
		var rebuild bool
		fire, orphans, rebuild = p.collect(ready, fire[:0], true)
		// Until they are fired, the registrations collected are marked
		// fired but their events are not pending: Probe waits for them.
		// (A rebuild comes only when nothing was collected.)
		firing := len(fire) > 0 || len(orphans) > 0
		if firing {
			p.delivering++
		}
		p.mu.Unlock()
		if rebuild {
			orphans = append(orphans, p.rebuild()...)
		}
		deliver(fire, orphans)
		if firing {
			p.doneDelivering()
		}
		p.sweepIfDue()
	}
}

// pollAll polls with w, then at once again as long as the kernel had more
// ready than one call returns, so that one poll reports every ready
// descriptor however many there are. The kernel hands its ready list out
// in turns, so as many calls as there are batches of watched descriptors
// see each one at least once.
func (p *poller) pollAll(w waiter, buf []readiness, timeout int) ([]readiness, error) {
	ready, more, err := w.poll(buf, timeout)
	if !more || err != nil {
		return ready, err
	}
	p.mu.Lock()
	batches := p.fds.len()/minBatch + 1
	p.mu.Unlock()
	for i := 0; more && err == nil && i < batches; i++ {
		ready, more, err = w.poll(ready, 0)
	}
	return ready, err
}

// pollFresh is pollAll, then again without waiting as long as a
// registration was re-armed while it polled (at most maxRepolls times): a
// readiness seen before a re-arm may be gone by then (the consumer read it,
// or replaced the descriptor, after taking the event the readiness came
// from), and must not fire the event again. Re-arms during a poll are
// rare: the poller's goroutine polls only once every reported event was
// taken, so only an event fired by another poll meanwhile (Probe) can be
// re-armed under it. Called with mu held, which it releases while polling
// and holds again on return.
func (p *poller) pollFresh(w waiter, buf []readiness, timeout int) ([]readiness, error) {
	p.probesLeft = 0 // a look: the next Probe's is counted from here (inline.go)
	for tries := 0; ; tries++ {
		since := p.rearms
		p.mu.Unlock()
		ready, err := p.pollAll(w, buf[:0], timeout)
		p.mu.Lock()
		if err != nil || p.rearms == since || tries == maxRepolls {
			return ready, err
		}
		timeout = 0
	}
}

// maxRepolls bounds pollFresh's polls again.
const maxRepolls = 8

// minBatch is the fewest readinesses a waiter returns in a call that says
// there may be more: the smallest buffer of a mechanism.
const minBatch = 256

// collect turns what the mechanism reported into firings, appended to fire,
// and registrations to fail, marking each reported registration fired. The
// registration whose re-arm left nothing outstanding, if any, is this
// poll's trigger (check.go). It reports whether nothing but stale reports
// came, for the goroutine to rebuild the mechanism's set (check.go). A
// poll that could have blocked (blocking) mutes the descriptors of held
// events it reports (hold.go); one that could not leaves them be, as their
// holders may well release them before a poll blocks. Called with mu held.
func (p *poller) collect(ready []readiness, fire []firing, blocking bool) ([]firing, []*registration, bool) {
	trigger := p.trigger
	p.trigger = nil
	if len(ready) > 0 {
		p.reports++
	}
	stale := false
	var orphans []*registration
	for _, rd := range ready {
		head := p.fds.get(rd.fd)
		if head == nil || head.gen != rd.gen {
			// Unregistered while the mechanism reported it, or a file
			// closed under its number.
			stale = true
			continue
		}
		if rd.flags&readyInvalid != 0 {
			orphans = append(orphans, p.forget(head)...)
			continue
		}
		var err error
		if rd.flags&readyError != 0 {
			err = ErrCondition
		}
		wanted, fires, holds := false, false, false
		for r := head; r != nil; r = r.next {
			if matches(r.want, rd.flags) {
				wanted = true
				fires = fires || r.state == armed
				holds = holds || r.state == held
			}
		}
		if !wanted {
			// What the mechanism watches the number for is not what its
			// events want: a change of interest that failed on a number
			// closed under them. Reported again at every poll, it would
			// keep the poller spinning.
			stale = true
			continue
		}
		if fires && p.suspect(head, trigger) && p.replaced(head) {
			orphans = append(orphans, p.forget(head)...) // check.go (R15)
			continue
		}
		if holds && blocking {
			// Reported while its event is held: no more of that (hold.go).
			if gone := p.mute(head); gone != nil {
				orphans = append(orphans, gone...)
				continue
			}
		}
		for r := head; r != nil; r = r.next {
			if matches(r.want, rd.flags) && r.state == armed {
				r.state = reported
				p.outstanding++
				fire = append(fire, firing{r.h, reasonFor(r.want), err})
			}
		}
	}
	if !stale || p.closed || len(fire) > 0 || len(orphans) > 0 {
		return fire, orphans, false
	}
	_, canRebuild := p.mech.(rebuilder)
	return fire, orphans, canRebuild
}

// deliver fails the orphans and fires the firings, with no lock held.
func deliver(fire []firing, orphans []*registration) {
	failAll(orphans)
	for _, f := range fire {
		if f.err != nil {
			f.h.Error(f.reason, f.err)
		} else {
			f.h.Fire(f.reason, nil)
		}
	}
}

// doneDelivering ends a delivery counted in p.delivering, for Probe.
func (p *poller) doneDelivering() {
	p.mu.Lock()
	p.delivering--
	if p.delivering == 0 {
		p.delivered.Broadcast()
	}
	p.mu.Unlock()
}

// breakDown ends every event with the mechanism's error rather than spin:
// only a broken mechanism fails a wait (EINTR is retried inside). Called
// by the goroutine, which then ends.
func (p *poller) breakDown(err error) {
	p.mu.Lock()
	p.polling = false
	p.broken = errs.In("poll: waiting for readiness", err)
	var orphans []*registration
	for _, head := range p.fds.all() {
		orphans = append(orphans, p.forget(head)...)
	}
	p.mu.Unlock()
	for _, r := range orphans {
		r.h.Fail(reasonFor(r.want), p.broken)
	}
}
