package poll

import (
	"errors"
	"fmt"
	"sync"
	"syscall"

	"github.com/evchan/evchan/evchan"
)

// poller watches one container's descriptors with one mechanism, from one
// goroutine.
//
// It polls level-triggered, the way libevent's loop does: it reports every
// descriptor found ready, then polls again only once all the events it
// reported were taken by a consumer (Rearm) or ended (Stop). So a
// descriptor that stays readable fires again after each delivery (level
// semantics), a pending event costs no polling while it waits for a
// consumer, and a delivery costs no system call beyond the consumer's own
// read or write: no re-arming per event, as EPOLLONESHOT would need.
type poller struct {
	mech mechanism

	mu          sync.Mutex
	fds         map[int]*fdState
	lastGen     uint32
	outstanding int           // reported registrations not yet taken
	resume      chan struct{} // capacity 1: outstanding fell to zero, or closing
	closed      bool
	broken      error         // the mechanism failed; the goroutine has ended
	done        chan struct{} // closed when the goroutine ends
}

// fdState is what the poller watches one descriptor number for.
type fdState struct {
	fd   int
	gen  uint32 // tells this registration from earlier ones of the number
	want interest
	regs []*registration
	// always is set for a descriptor the mechanism cannot watch because it
	// is always ready, such as a regular file under epoll: its events fire
	// at once and again at each re-arm, as poll(2) would have them.
	always bool
	file   fileID // of an always-ready file, to notice its number reused
}

// registration is one event's watch on a descriptor: its evchan.Watcher.
type registration struct {
	p     *poller
	st    *fdState
	want  interest
	h     evchan.Handle
	fired bool // reported, not yet taken
	ended bool
}

func startPoller(b Backend) (*poller, error) {
	mech, err := b.open()
	if err != nil {
		return nil, err
	}
	p := &poller{
		mech:   mech,
		fds:    make(map[int]*fdState),
		resume: make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	go p.run()
	return p, nil
}

// register starts watching fd for want on behalf of h.
func (p *poller) register(fd int, want interest, h evchan.Handle) (evchan.Watcher, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, evchan.ErrClosed
	}
	if p.broken != nil {
		p.mu.Unlock()
		return nil, p.broken
	}
	r := &registration{p: p, want: want, h: h}
	var orphans []*registration
	st := p.fds[fd]
	if st != nil && st.always && !sameFile(fd, st.file) {
		orphans = p.forget(st) // closed, and the number reused (R15)
		st = nil
	}
	if st != nil && !st.always {
		err := p.mech.watch(fd, st.gen, st.want|want, true)
		var stale errStale
		switch {
		case errors.As(err, &stale):
			// The number now names another file, or none: the one we
			// watched was closed under its events (R15).
			orphans = p.forget(st)
			st = nil
		case err != nil:
			p.mu.Unlock()
			return nil, fmt.Errorf("poll: descriptor %d: %w", fd, err)
		}
	}
	if st == nil {
		p.lastGen++
		st = &fdState{fd: fd, gen: p.lastGen}
		err := p.mech.watch(fd, st.gen, want, false)
		if errors.Is(err, syscall.EPERM) {
			st.always = true // epoll refuses regular files: they are always ready
			st.file = fileOf(fd)
		} else if err != nil {
			p.mu.Unlock()
			failAll(orphans)
			return nil, fmt.Errorf("%w: descriptor %d: %w", ErrBadDescriptor, fd, err)
		}
		p.fds[fd] = st
	}
	st.want |= want
	st.regs = append(st.regs, r)
	r.st = st
	always := st.always
	if always {
		r.fired = true
	}
	p.mu.Unlock()
	failAll(orphans)
	if always {
		h.Fire(reasonFor(want), nil)
	}
	return r, nil
}

// forget drops st, whose descriptor is gone, and returns its registrations
// to be failed. Called with mu held.
func (p *poller) forget(st *fdState) []*registration {
	delete(p.fds, st.fd)
	if !st.always {
		// Stop watching the number: poll(2) would report it invalid again
		// at once, forever. (epoll dropped it already: this fails harmlessly.)
		p.mech.unwatch(st.fd)
	}
	regs := st.regs
	st.regs = nil
	for _, r := range regs {
		r.ended = true
		if r.fired && !st.always {
			p.taken()
		}
	}
	return regs
}

// failAll delivers the end of each registration's descriptor (R15).
func failAll(regs []*registration) {
	for _, r := range regs {
		r.h.Fail(reasonFor(r.want), ErrClosedWhileRegistered)
	}
}

// taken counts one reported registration as taken, and lets the goroutine
// poll again when it was the last. Called with mu held.
func (p *poller) taken() {
	p.outstanding--
	if p.outstanding == 0 {
		p.nudge()
	}
}

func (p *poller) nudge() {
	select {
	case p.resume <- struct{}{}:
	default:
	}
}

// Rearm is called by the container when r's persistent event was delivered.
func (r *registration) Rearm() {
	p := r.p
	p.mu.Lock()
	if r.ended || !r.fired {
		p.mu.Unlock()
		return
	}
	if r.st.always {
		p.mu.Unlock()
		r.h.Fire(reasonFor(r.want), nil) // still ready: a regular file is
		return
	}
	r.fired = false
	p.taken()
	p.mu.Unlock()
}

// Stop is called by the container when r's event ends: unregister it.
func (r *registration) Stop() {
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.ended {
		return
	}
	r.ended = true
	st := r.st
	if r.fired && !st.always {
		p.taken()
	}
	for i, other := range st.regs {
		if other == r {
			st.regs = append(st.regs[:i], st.regs[i+1:]...)
			break
		}
	}
	var want interest
	for _, other := range st.regs {
		want |= other.want
	}
	switch {
	case st.always:
		if len(st.regs) == 0 {
			delete(p.fds, st.fd)
		}
	case len(st.regs) == 0:
		delete(p.fds, st.fd)
		p.mech.unwatch(st.fd) // fails harmlessly if it was closed meanwhile
	case want != st.want:
		p.mech.watch(st.fd, st.gen, want, true)
	}
	st.want = want
}

// run is the poller's goroutine.
func (p *poller) run() {
	defer close(p.done)
	var ready []readiness
	var fire []firing
	for {
		p.mu.Lock()
		for p.outstanding > 0 && !p.closed {
			p.mu.Unlock()
			<-p.resume
			p.mu.Lock()
		}
		if p.closed {
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()

		var err error
		ready, err = p.mech.wait(ready[:0])
		if err != nil {
			// Only a broken mechanism gets here (EINTR is retried inside):
			// end every event with the error rather than spin.
			p.mu.Lock()
			p.broken = fmt.Errorf("poll: waiting for readiness: %w", err)
			var orphans []*registration
			for _, st := range p.fds {
				orphans = append(orphans, p.forget(st)...)
			}
			p.mu.Unlock()
			for _, r := range orphans {
				r.h.Fail(reasonFor(r.want), p.broken)
			}
			return
		}

		p.mu.Lock()
		fire = fire[:0]
		stale := false
		var orphans []*registration
		for _, rd := range ready {
			st := p.fds[rd.fd]
			if st == nil || st.gen != rd.gen {
				// Unregistered while the mechanism reported it, or a file
				// closed under its number.
				stale = true
				continue
			}
			if rd.flags&readyInvalid != 0 {
				orphans = append(orphans, p.forget(st)...)
				continue
			}
			var err error
			if rd.flags&readyError != 0 {
				err = ErrCondition
			}
			for _, r := range st.regs {
				if !r.fired && matches(r.want, rd.flags) {
					r.fired = true
					p.outstanding++
					fire = append(fire, firing{r.h, reasonFor(r.want), err})
				}
			}
		}
		if stale {
			if rb, ok := p.mech.(rebuilder); ok && len(fire) == 0 && len(orphans) == 0 {
				// Nothing but stale reports: epoll may hold a file closed
				// under its number but alive under another (epoll(7)),
				// which no epoll_ctl can remove. Start a new set.
				var regs []watched
				for _, st := range p.fds {
					if !st.always {
						regs = append(regs, watched{st.fd, st.gen, st.want})
					}
				}
				rb.rebuild(regs)
			}
		}
		p.mu.Unlock()
		failAll(orphans)
		for _, f := range fire {
			if f.err != nil {
				f.h.Error(f.reason, f.err)
			} else {
				f.h.Fire(f.reason, nil)
			}
		}
	}
}

// firing is one report to deliver once the poller's lock is released.
type firing struct {
	h      evchan.Handle
	reason evchan.Reason
	err    error
}

// Close ends the goroutine and the mechanism. The container calls it after
// stopping every registration.
func (p *poller) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.done
		return nil
	}
	p.closed = true
	p.nudge() // the goroutine may be waiting for events to be taken
	p.mu.Unlock()
	wakeErr := p.mech.wake()
	<-p.done
	return errors.Join(wakeErr, p.mech.close())
}

// watched is one descriptor a rebuilt mechanism must watch.
type watched struct {
	fd   int
	gen  uint32
	want interest
}

// rebuilder is a mechanism that can start afresh with a given set: epoll,
// whose set can keep a file that was closed under its number while another
// descriptor still holds it open, out of reach of every epoll_ctl.
type rebuilder interface{ rebuild([]watched) }
