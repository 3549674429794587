package poll

// Polls made outside the poller's goroutine, without blocking, by the
// goroutine that delivers the container's events: after the last reported
// event is taken (pollInline), and every few deliveries (Probe). Both use
// the inline waiter, one at a time (p.inline), and may run while the
// goroutine blocks in the kernel: a readiness both report fires once, as
// the second finds its registration fired already.

// pollInline polls without blocking, in the goroutine that took the last
// reported event (the container's, calling Rearm), and fires what is ready
// there. When the consumer has just written to the next descriptor, as it
// does in a chain of events, this delivers the next event with no hand-off
// to the poller's goroutine and back, which costs two goroutine switches
// and a blocking system call. When nothing is ready, the goroutine takes
// over and waits. Called with p.polling set by the caller, mu not held.
func (p *poller) pollInline() {
	if !p.inline.TryLock() {
		// Another inline poll is under way (a Probe, say): let the
		// goroutine do this one.
		p.mu.Lock()
		p.polling = false
		p.nudge()
		p.mu.Unlock()
		return
	}
	defer p.inline.Unlock()
	deliver(p.inlineFire, p.pollInlineLocked(true))
}

// Probe looks at the container's descriptors without blocking and fires
// the events of those ready whose events are not pending yet, from the
// calling goroutine: the container calls it every few deliveries
// (evchan.Prober), so that a ready descriptor becomes pending within a
// bounded number of deliveries, however busy the container or its
// goroutines are. So it also waits for the firings that another poll
// collected and is making: that poll may be held up by the very container
// lock the caller's deliveries keep busy. When every event is reported
// already and waits to be taken, nothing could fire, and it looks at
// nothing: a stalled consumer's thousands of ready descriptors are not
// walked again every 64 deliveries.
//
// Nor are they while they are taken: a level-triggered kernel reports
// again, at every look, each descriptor reported and not yet taken, so a
// look costs what is outstanding, and with thousands of connections ready
// at once a look every 64 deliveries walked them all every 64 deliveries
// (half a server's CPU at 5,000 connections). So Probe looks once in
// outstanding/probeDeliveries calls when that is more than one: a ready
// descriptor is pending within max(64, outstanding) deliveries, and a
// look costs about one report per delivery at most.
func (p *poller) Probe() {
	p.inline.Lock() // an inline poll under way fires what it found first
	defer p.inline.Unlock()
	p.mu.Lock()
	for p.delivering > 0 {
		p.delivered.Wait()
	}
	idle := p.closed || p.broken != nil || p.outstanding >= p.watching
	if !idle && p.outstanding > probeDeliveries*(p.probesLeft+1) {
		p.probesLeft++
		idle = true
	}
	p.mu.Unlock()
	if idle {
		return
	}
	deliver(p.inlineFire, p.pollInlineLocked(false))
}

// probeDeliveries is how many deliveries pass between two calls of Probe
// (evchan's Prober).
const probeDeliveries = 64

// pollInlineLocked polls with the inline waiter and collects what it
// reports into p.inlineFire, and returns the registrations to fail, for
// the caller to deliver. For pollInline (handOff set), it also ends the
// poll under way and, when nothing was found, hands the next poll to the
// goroutine. A failed poll is left to the goroutine, whose wait will
// report it. Called with p.inline held and mu not held.
func (p *poller) pollInlineLocked(handOff bool) []*registration {
	p.mu.Lock()
	ready, err := p.pollFresh(p.inlineWaiter, p.inlineReady, 0)
	p.inlineReady = ready
	p.inlineFire = p.inlineFire[:0]
	var orphans []*registration
	if err == nil {
		// Stale reports are left to the goroutine, the only one to
		// rebuild the mechanism (check.go): its wait sees them too.
		p.inlineFire, orphans, _ = p.collect(ready, p.inlineFire, false)
	}
	if handOff {
		p.polling = false
		if err != nil || p.outstanding == 0 {
			p.nudge()
		}
	}
	p.mu.Unlock()
	return orphans
}
