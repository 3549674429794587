package poll

import "errors"

// Holding (evchan.Holder). A loop over All that hands an event to another
// goroutine holds it (evchan.Container.Hold): the event is re-armed only
// when that goroutine is done with it, maybe long after. The poller polls
// again only once every event it reported is taken, so a held event must
// not count as one waiting to be taken, or one busy handler would keep
// every other descriptor of the container from being polled. Nor may the
// kernel report its descriptor meanwhile: level-triggered, it would report
// it at once, still ready, at every poll, a spin.
//
// So Hold takes the registration out of the count (and lets the goroutine
// poll if it was the last, unless a loop has the waiting: that loop, whose
// step called Hold, polls next), and a poll that may wait (the goroutine's,
// a loop's Wait) and reports a held registration mutes its descriptor: the
// mechanism is told to report, of what the descriptor is watched for,
// nothing that only held events want (quiet; with epoll, at most one
// report more, which is ignored). The release, a Rearm, unmutes it. A poll
// that does not wait (inline, Probe) ignores a held registration's report
// and leaves it unmuted: each is made for a re-arm or a delivery, so it
// cannot spin, and the holder may well release the event before a poll
// waits. Muting only what a waiting poll reports, not at every Hold, costs
// nothing to an event released before then. A muted descriptor keeps its identity checks (check.go):
// unmuting on epoll and kqueue tells a number closed under its events,
// poll(2) and WSAPoll check every descriptor they report, and the sweeps
// look at muted ones as at any other.

// Hold is evchan.Holder's: the event r reported is held until Rearm. It
// stops counting as waiting to be taken, and its descriptor is muted if a
// poll that may wait reports it before Rearm. A Hold for a registration
// not reported does nothing (its Rearm came first).
func (r *registration) Hold() {
	p := r.p
	p.mu.Lock()
	if r.state != reported || r.always {
		p.mu.Unlock()
		return
	}
	r.state = held
	p.outstanding--
	if p.outstanding == 0 && !p.loopOwned {
		p.nudge()
	}
	p.mu.Unlock()
}

// unhold ends r's hold, at its Rearm: a report fires its event again, and
// its descriptor is unmuted if a poll muted it. It returns the events to
// fail if unmuting shows the descriptor's number closed under them (R15).
// Called with mu held.
func (p *poller) unhold(r *registration) []*registration {
	r.state = armed
	// A poll under way may have seen a readiness the holder has consumed
	// since: pollFresh polls again rather than report it.
	p.rearms++
	if p.outstanding == 0 {
		p.trigger = r // for the next poll's check, as Rearm does (check.go)
	}
	if head := p.fds.get(int(r.fd)); head.muted != 0 {
		return p.mute(head)
	}
	return nil
}

// mute has the mechanism report, of what head's descriptor is watched for,
// nothing that only held events want: more than before when a poll reported
// a held event, less when one was released. It returns head's events to fail
// if the mechanism tells the number closed under them (R15). A mechanism
// that fails otherwise (out of memory) leaves the descriptor as it was,
// to be muted at its next report. Called with mu held.
func (p *poller) mute(head *registration) []*registration {
	var hold, live interest
	for r := head; r != nil; r = r.next {
		if r.state == held {
			hold |= r.want
		} else {
			live |= r.want
		}
	}
	off := hold &^ live
	if off == head.muted {
		return nil
	}
	err := p.mech.quiet(int(head.fd), head.gen, head.fdWant, off)
	var stale errStale
	if errors.As(err, &stale) {
		return p.forget(head)
	}
	if err == nil {
		head.muted = off
	}
	return nil
}
