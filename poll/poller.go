package poll

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"syscall"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// poller watches one container's descriptors with one mechanism, from one
// goroutine.
//
// It polls level-triggered, the way libevent's loop does: it reports every
// descriptor found ready, then polls again only once all the events it
// reported were taken by a consumer (Rearm), ended (Stop), or held by a
// loop's body until a release (Hold, hold.go). So a
// descriptor that stays readable fires again after each delivery (level
// semantics), a pending event costs no polling while it waits for a
// consumer, and a delivery costs no system call beyond the consumer's own
// read or write: no re-arming per event, as EPOLLONESHOT would need.
//
// The poll that follows the last event taken is made without blocking, by
// the goroutine that re-arms (the container's), so that when the consumer
// has made the next descriptor ready, as a chain of events does, it is
// delivered with no hand-off to the poller's goroutine and back. Only when
// nothing is ready does the poller's goroutine block in the kernel
// (inline.go). The container also has the poller look, without blocking,
// every few deliveries (Probe), which bounds how long a ready descriptor
// waits to become pending, whatever keeps the goroutine from reporting it.
//
// The files:
//
//	poller.go  registrations: register, Rearm, Stop, Close
//	run.go     the goroutine: wait, collect what is ready, deliver
//	inline.go  polls made by other goroutines: after the last re-arm, Probe
//	hold.go    held events: out of the count, their descriptors muted
//	check.go   telling a replaced or closed descriptor: repeats, sweeps, rebuilds
type poller struct {
	mech   mechanism
	waiter waiter // the goroutine's, which wake wakes

	mu          sync.Mutex
	fds         fdTable
	files       map[int]fileID // of the always-ready descriptors, to notice their numbers reused
	lastGen     uint32
	outstanding int           // reported registrations not yet taken
	rearms      uint64        // re-arms made, for pollFresh
	probesLeft  int           // calls of Probe that do not look, since the last look (inline.go)
	trigger     *registration // the last re-armed when none was left outstanding, for the next poll's check
	watching    int           // registrations the mechanism watches (not always-ready ones)
	polling     bool          // a wait is under way, the goroutine's or pollInline's
	resume      chan struct{} // capacity 1: outstanding fell to zero, or closing
	closed      bool
	broken      error         // the mechanism failed; the goroutine has ended
	done        chan struct{} // closed when the goroutine ends
	delivering  int           // polls firing what they collected (the goroutine's, a loop's Wait)
	delivered   sync.Cond     // on mu: delivering fell to 0
	reports     uint32        // polls that reported something, for the repeat check (check.go)
	sweepTimer  *time.Timer   // sets sweepDue and wakes the goroutine (check.go)
	sweepArmed  bool          // sweepTimer is set
	sweepDue    bool          // the goroutine is to check every descriptor

	// inline serializes the polls made outside the goroutine (inline.go),
	// which share inlineWaiter and these buffers, and keeps them out of a
	// rebuild of the mechanism.
	inline       sync.Mutex
	inlineWaiter waiter
	inlineReady  []readiness
	inlineFire   []firing

	// The kernel's one waiter at a time: the goroutine, or a loop that
	// took the waiting over (wait.go).
	loopOwned   bool       // a loop has the waiting until Release; the goroutine stays out
	wakePending bool       // Wake came for the loop\'s Wait under way or the next
	inKernel    waiterKind // who is in the mechanism's blocking wait now
	kernelFree  sync.Cond  // on mu: inKernel fell to none
	loopWaiter  waiter     // a loop's Wait's, which wake wakes too
	loopReady   []readiness
	loopFire    []firing
}

// registration is one event's watch on a descriptor: its evchan.Watcher.
//
// The registrations on one descriptor number form a list, in the order they
// were added, whose head the fd table holds. The head also keeps what the
// descriptor is watched for, and how it was reported lately (check.go):
// there is no separate record per descriptor, because a container may
// watch many thousands of idle descriptors, one event each, and each
// record would cost 24 bytes. The fields fill 48 bytes, a size class of
// Go's allocator.
type registration struct {
	p    *poller
	h    evchan.Handle
	next *registration // on the same descriptor

	fd  int32  // a Unix descriptor, or a Windows socket (32 significant bits)
	gen uint32 // tells this watch of the number from earlier ones; the same in the whole list

	// The head's: the poll (p.reports, its low 8 bits) that last reported
	// the descriptor with an event to fire, in how many polls in a row,
	// and how many times it was checked for being ready again in the
	// poll its re-arm made (check.go).
	lastReport uint8
	streak     uint8
	passed     uint8

	// always is set for a descriptor the mechanism cannot watch because it
	// is always ready, such as a regular file under epoll: its r and w
	// events fire at once and again at each re-arm, and its x events never
	// (a file has no priority data), as poll(2) would have them. The same
	// in the whole list.
	always bool
	want   interest // this event's
	fdWant interest // the head's: what the descriptor is watched for, all its events'
	muted  interest // the head's: what of fdWant the mechanism is told not to report, for held events (hold.go)
	state  regState
}

// regState is where a registration stands with what it reported.
type regState uint8

const (
	armed    regState = iota // watched: a report fires its event
	reported                 // fired, not yet taken: outstanding (always-ready ones are not counted)
	held                     // reported, its event held (hold.go): not outstanding, not fired again before Rearm
	ended
)

func startPoller(b Backend) (*poller, error) {
	mech, err := b.open()
	if err != nil {
		return nil, err
	}
	return newPoller(mech), nil
}

// newPoller starts a poller's goroutine on mech.
func newPoller(mech mechanism) *poller {
	p := &poller{
		mech:         mech,
		waiter:       mech.newWaiter(true),
		inlineWaiter: mech.newWaiter(false),
		loopWaiter:   mech.newWaiter(true),
		resume:       make(chan struct{}, 1),
		done:         make(chan struct{}),
	}
	p.delivered.L = &p.mu
	p.kernelFree.L = &p.mu
	go p.run()
	return p
}

// register starts watching fd for want on behalf of h.
func (p *poller) register(fd int, want interest, h evchan.Handle) (evchan.Watcher, error) {
	if fd < 0 || fd > math.MaxInt32 {
		// descriptorOf refuses these already; a registration keeps 32 bits.
		return nil, badDescriptor(nil, "descriptor %d is out of range", fd)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, evchan.ErrClosed
	}
	if p.broken != nil {
		p.mu.Unlock()
		return nil, p.broken
	}
	r := &registration{p: p, h: h, fd: int32(fd), want: want}
	var orphans []*registration
	head := p.fds.get(fd)
	if head != nil && head.always && !sameFile(fd, p.files[fd]) {
		orphans = p.forget(head) // closed, and the number reused (R15)
		head = nil
	}
	if head != nil && !head.always {
		err := p.mech.watch(fd, head.gen, head.fdWant|want, true)
		var stale errStale
		switch {
		case errors.As(err, &stale):
			// The number now names another file, or none: the one we
			// watched was closed under its events (R15).
			orphans = p.forget(head)
			head = nil
		case err != nil:
			p.mu.Unlock()
			return nil, watchError(fd, err, false)
		default:
			head.muted = 0 // watch unmutes (hold.go)
		}
	}
	if head == nil {
		p.scheduleSweep()
		p.lastGen++
		r.gen = p.lastGen
		err := p.mech.watch(fd, r.gen, want, false)
		if errors.Is(err, syscall.EPERM) {
			r.always = true // epoll refuses regular files: they are always ready
			if p.files == nil {
				p.files = make(map[int]fileID)
			}
			p.files[fd] = fileOf(fd)
		} else if err != nil {
			p.mu.Unlock()
			failAll(orphans)
			return nil, watchError(fd, err, true)
		}
		r.fdWant = want
		p.fds.set(fd, r)
	} else {
		r.gen, r.always = head.gen, head.always
		head.fdWant |= want
		last := head // at the end: events on one descriptor fire in the order they were added
		for last.next != nil {
			last = last.next
		}
		last.next = r
	}
	fires := r.always && want != wantPriority
	if fires {
		r.state = reported
	}
	if !r.always {
		p.watching++
	}
	p.mu.Unlock()
	failAll(orphans)
	if fires {
		h.Fire(reasonFor(want), nil)
	}
	return r, nil
}

// forget drops the descriptor whose registrations head lists, because it
// is gone, and returns them to be failed. Called with mu held.
func (p *poller) forget(head *registration) []*registration {
	p.drop(int(head.fd))
	if !head.always && !p.closed {
		// Stop watching the number: poll(2) would report it invalid again
		// at once, forever. (epoll dropped it already: this fails harmlessly.)
		p.mech.unwatch(int(head.fd))
	}
	var regs []*registration
	for r := head; r != nil; r = r.next {
		p.end(r)
		regs = append(regs, r)
	}
	return regs
}

// end marks r ended, no longer watched nor outstanding. Called with mu
// held.
func (p *poller) end(r *registration) {
	if !r.always {
		p.watching--
		if r.state == reported {
			p.taken()
		}
	}
	r.state = ended
}

// drop forgets the descriptor number fd. Called with mu held.
func (p *poller) drop(fd int) {
	p.fds.delete(fd)
	delete(p.files, fd)
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
	switch {
	case r.state == armed || r.state == ended:
		p.mu.Unlock()
		return
	case r.always:
		p.mu.Unlock()
		r.h.Fire(reasonFor(r.want), nil) // still ready: a regular file is
		return
	case r.state == held:
		orphans := p.unhold(r) // hold.go
		p.mu.Unlock()
		failAll(orphans)
		return
	}
	r.state = armed
	p.rearms++
	p.outstanding--
	if p.outstanding > 0 {
		p.mu.Unlock()
		return
	}
	p.trigger = r // for the next poll, whichever polls (check.go)
	p.pollAgain()
}

// pollAgain has the next poll made, now that nothing reported waits to be
// taken: inline, by the calling goroutine, unless a poll is under way.
// Called with mu held, which it releases.
func (p *poller) pollAgain() {
	if !p.polling && !p.closed && p.broken == nil {
		p.polling = true
		p.mu.Unlock()
		p.pollInline()
		return
	}
	p.nudge()
	p.mu.Unlock()
}

// Stop is called by the container when r's event ends: unregister it.
func (r *registration) Stop() {
	p := r.p
	p.mu.Lock()
	orphans := p.stop(r)
	p.mu.Unlock()
	failAll(orphans)
}

// stop unregisters r, and returns the other events on its descriptor if
// that shows the descriptor was closed under them. Once the poller is
// closed, the mechanism is not touched: its descriptors are closed, and
// their numbers may name other files already. Called with mu held.
func (p *poller) stop(r *registration) (orphans []*registration) {
	if r.state == ended {
		return nil
	}
	p.end(r)
	fd := int(r.fd)
	head := p.fds.get(fd)
	was, muted := head.fdWant, head.muted
	if head == r {
		head = r.next
		if head != nil {
			p.fds.set(fd, head)
			head.muted = muted
		}
	} else {
		prev := head
		for prev.next != r {
			prev = prev.next
		}
		prev.next = r.next
	}
	if head == nil {
		p.drop(fd)
		if !r.always && !p.closed {
			p.mech.unwatch(fd) // fails harmlessly if it was closed meanwhile
		}
		return nil
	}
	var want interest
	for other := head; other != nil; other = other.next {
		want |= other.want
	}
	head.fdWant = want
	if want == was || head.always || p.closed {
		return nil
	}
	var stale errStale
	if err := p.mech.watch(fd, head.gen, want, true); errors.As(err, &stale) {
		// The number was closed under the events left on it (R15); and
		// epoll, if the file lives on under another number, keeps
		// watching it for the interest it had, which no event wants now.
		return p.forget(head)
	}
	head.muted = 0 // watch unmutes: a held event is muted again if reported (hold.go)
	return nil
}

// firing is one report to deliver once the poller's lock is released.
type firing struct {
	h      evchan.Handle
	reason evchan.Reason
	err    error
}

// watchError is the error of a mechanism that refused to watch fd: for
// want of resources (wrapping ErrResources), for a kind it cannot watch
// (errors.ErrUnsupported: kqueue without EVFILT_EXCEPT), or else, for a
// descriptor's first watch (first), because fd is not an open descriptor
// it can watch (ErrBadDescriptor). Each wraps err.
func watchError(fd int, err error, first bool) error {
	switch {
	case isResourceError(err): // epoll's limit of watches, or memory
		return outOfResources(errs.New(fmt.Sprintf("poll: descriptor %d cannot be watched: %v", fd, err), err))
	case errors.Is(err, errors.ErrUnsupported):
		return errs.In(fmt.Sprintf("poll: descriptor %d", fd), err)
	case first:
		return badDescriptor(err, "descriptor %d is not an open descriptor: %v", fd, err)
	}
	return errs.New(fmt.Sprintf("poll: descriptor %d cannot be watched: %v", fd, err), err)
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
	if p.sweepTimer != nil {
		p.sweepTimer.Stop() // a callback under way finds closed set
	}
	p.mu.Unlock()
	wakeErr := p.mech.wake()
	<-p.done
	// An inline poll (inline.go) or a loop's Wait (wait.go) may be under
	// way: let it end before the mechanism's descriptors close, since
	// their numbers could name other files afterwards. None starts once
	// closed is set, and the wake-up above ends a Wait in the kernel.
	p.mu.Lock()
	for p.inKernel != nobody {
		p.kernelFree.Wait()
	}
	p.mu.Unlock()
	p.inline.Lock()
	defer p.inline.Unlock()
	return errors.Join(wakeErr, p.mech.close())
}
