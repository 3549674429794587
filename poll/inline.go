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
	orphans, err := p.pollInlineLocked()
	p.mu.Lock()
	p.polling = false
	if err != nil || p.outstanding == 0 {
		p.nudge() // nothing ready, or a failure the goroutine's wait will report
	}
	p.mu.Unlock()
	deliver(p.inlineFire, orphans)
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
func (p *poller) Probe() {
	p.inline.Lock() // an inline poll under way fires what it found first
	defer p.inline.Unlock()
	p.mu.Lock()
	for p.delivering {
		p.delivered.Wait()
	}
	idle := p.closed || p.broken != nil || p.outstanding >= p.watching
	p.mu.Unlock()
	if idle {
		return
	}
	orphans, _ := p.pollInlineLocked() // a failure is the goroutine's to report
	deliver(p.inlineFire, orphans)
}

// pollInlineLocked polls with the inline waiter and collects what it
// reports into p.inlineFire, for the caller to deliver once it releases
// mu. Called with p.inline held and mu not held.
func (p *poller) pollInlineLocked() ([]*registration, error) {
	ready, err := p.pollAll(p.inlineWaiter, p.inlineReady[:0], 0)
	p.inlineReady = ready
	p.inlineFire = p.inlineFire[:0]
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var orphans []*registration
	// Stale reports are left to the goroutine, the only one to rebuild
	// the mechanism (check.go): its wait sees them too.
	p.inlineFire, orphans, _ = p.collect(ready, p.inlineFire)
	return orphans, nil
}
