package poll

import (
	"time"
)

// A loop over All that has nothing to take waits in the kernel itself,
// through the poller (evchan.Waiter): it runs its body on the goroutine
// the readiness woke, with no hand-over from the poller's goroutine.
//
// The kernel has one waiter at a time. A loop's Wait takes the waiting
// over: if the goroutine is in its blocking wait, the wake-up descriptor
// gets it out, and the loop's Wait goes in once it has left (kernelFree).
// The goroutine then stays out of the kernel, parked, until Release, which
// the container calls when no loop over All runs any more. Both waiters
// watch the wake-up descriptor and take its wake-ups, so whatever wakes
// the kernel's waiter (Wake, Close, a sweep) reaches whichever is in.
//
// Wait declines, and gives the waiting back to the goroutine, when events
// it reported wait to be taken: the kernel, level-triggered, would report
// them again at once, and the loop would spin. Their consumer re-arms
// them, and the goroutine's way (pollInline, then its wait) serves until
// then.

// waiterKind says who is in the mechanism's blocking wait.
type waiterKind uint8

const (
	nobody waiterKind = iota
	goroutine
	loop
)

// Wait is evchan.Waiter's: it waits in the kernel, in the calling
// goroutine, until a descriptor is ready, and fires its events, or until
// Wake, Close or timeout (negative: no limit), and reports how many events
// it fired. It reports waited false, at once, if events it reported wait
// to be taken.
func (p *poller) Wait(timeout time.Duration) (fired int, waited bool) {
	p.mu.Lock()
	if p.declines() {
		p.mu.Unlock()
		return 0, false
	}
	if !p.loopOwned {
		p.loopOwned = true
		if p.inKernel == goroutine {
			p.mech.wake() // out of the kernel with you
		}
	}
	for p.inKernel != nobody && !p.closed {
		p.kernelFree.Wait()
	}
	// The goroutine's last poll, which it just left, may have reported
	// events: they wait to be taken now.
	if p.declines() {
		p.mu.Unlock()
		return 0, false
	}
	if p.wakePending {
		p.wakePending = false // a wake that came before the wait ends it
		p.mu.Unlock()
		return 0, true
	}
	p.inKernel = loop
	ready, err := p.pollFresh(p.loopWaiter, p.loopReady, millis(timeout))
	p.loopReady = ready
	p.inKernel = nobody
	p.kernelFree.Broadcast()
	if err != nil {
		p.loopOwned = false
		p.mu.Unlock()
		p.breakDown(err)
		p.nudge()
		return 0, true
	}
	var orphans []*registration
	var rebuild bool
	p.loopFire, orphans, rebuild = p.collect(ready, p.loopFire[:0], timeout != 0)
	firing := len(p.loopFire) > 0 || len(orphans) > 0
	if firing {
		p.delivering++
	}
	p.mu.Unlock()
	if rebuild {
		orphans = append(orphans, p.rebuild()...)
	}
	deliver(p.loopFire, orphans)
	if firing {
		p.doneDelivering()
	}
	// The wakes owed until now are met: the loop looks at its container
	// next. (Its own firings above owed one.)
	p.mu.Lock()
	p.wakePending = false
	p.mu.Unlock()
	return len(p.loopFire) + len(orphans), true
}

// declines reports whether a loop's Wait declines: the poller is closed
// or broken, or events it reported wait to be taken. It then gives the
// waiting back to the goroutine. Called with mu held.
func (p *poller) declines() bool {
	if !p.closed && p.broken == nil && p.outstanding == 0 {
		return false
	}
	if p.loopOwned {
		p.loopOwned = false
		p.nudge()
	}
	return true
}

// Wake is evchan.Waiter's: it makes a Wait under way return, or the next.
// Only a Wait in the kernel costs a system call (the wake-up descriptor's);
// one about to go in finds wakePending.
func (p *poller) Wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.wakePending = true
	if p.inKernel == loop {
		p.mech.wake()
	}
}

// Release is evchan.Waiter's: the goroutine waits in the kernel again.
func (p *poller) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loopOwned {
		p.loopOwned = false
		p.nudge()
	}
}

// millis turns a wait's timeout into a mechanism's milliseconds, rounded
// up so that a wait never ends before its deadline: -1 for none.
func millis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	return int(min(ms, 1<<31-1))
}
