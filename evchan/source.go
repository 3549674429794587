package evchan

import (
	"io"
	"time"
)

// A Source is a kind of event the container does not watch by itself:
// descriptors, signals, Windows handles, a context ending, anything a user
// writes. Wrap it with Custom to add it to a container.
//
// The protocol, which keeps the rules of the container true for every source:
//
//   - Add calls Watch once per added event, without holding any lock. Watch
//     starts watching (a goroutine, a registration with a shared poller...)
//     and returns the Watcher that ends it. An error from Watch is returned by
//     Add and no event is created.
//   - Each time the source's condition holds, it calls Handle.Fire, from any
//     goroutine, as often as it likes: the container coalesces firings while
//     the event is pending (R3), so a source never needs to queue or block.
//     A source that hands out things that must not be lost (messages taken
//     from a queue) calls TryFire, which says whether the event took it.
//   - When a persistent event has been delivered, the container calls Rearm. A
//     level-triggered source (a descriptor that stays readable) watches again
//     only then, which is how coalescing costs it nothing while its event
//     waits for a consumer. An edge source (a signal, a channel) ignores Rearm.
//   - When the event ends (a one-shot delivered, Del, Clear, Close), the
//     container calls Stop exactly once. Stop must release what Watch took.
//
// Rearm and Stop are called without any lock held, possibly from the
// container's own goroutine or from a goroutine running a loop over All
// (which re-arms the event it delivered once its body is done), so they
// must not block for long and must not call Close. They may call any other
// method of the container, and Handle.Fire.
//
// A panic in a source's code does not escape into the container's
// goroutine, nor leave a half-made event behind: the container recovers it
// and makes it an error wrapping ErrPanicked, with the panic's value in its
// text.
//
//   - In Watch: Add returns the error, and the container is as it was
//     before Add: no event, Len as it was (IDs are never reused, so the
//     one it would have had is skipped).
//   - In Rearm: the event ends as if the source had called Fail: it is
//     delivered once more with the error in Event.Err, and Last, then
//     deleted and its Watcher stopped.
//   - In Stop: the event has ended already; Close returns the error (the
//     first such panic, with a count of the others).
//   - In a service's start function (Handle.Service): Service returns the
//     error, and no service is kept. In its Close or its Probe: Close
//     returns the error; it closes the other services all the same.
//
// Del's promise (R9) does not depend on the source being quick to stop: the
// Handle names one registration of one entry, and once the entry is deleted
// every Fire through its Handle is dropped, so a firing that races with Del
// is never delivered. IDs are never reused, which makes the entry itself the
// generation tag.
type Source interface {
	Watch(h Handle) (Watcher, error)
}

// A Watcher ends or resumes one registration made by Source.Watch.
type Watcher interface {
	// Rearm tells the source that its persistent event was delivered, so it
	// may report its condition again.
	Rearm()
	// Stop ends the registration. The container calls it once.
	Stop()
}

// A Holder is a Watcher that wants to know when a persistent event it
// reported is held (Container.Hold): a loop over All delivered it and went
// on without re-arming it, and the release will call Rearm. A source that
// watches many registrations together, such as package poll's poller,
// which looks at its descriptors again only once each one it reported is
// taken, counts a held one as taken, and stops watching it until Rearm,
// rather than keep the others waiting for the release.
//
// The container calls Hold at most once per hold, without any lock held,
// as it calls Rearm; a panic in it is treated as one in Rearm. Hold and
// the Rearm that ends the hold may come from different goroutines, and the
// Rearm first: a Holder ignores a Hold for a registration not reported
// since its last Rearm, and ends any hold at Rearm, which then re-arms as
// usual. (A Hold that comes after a Rearm and a new report holds that
// report: its event is pending then, and the Rearm of its delivery ends
// the hold.)
type Holder interface {
	Watcher
	// Hold tells the source that the event it reported last is held: it
	// is to report it no more, nor count it as waiting to be taken, until
	// Rearm.
	Hold()
}

// StopFunc is a Watcher for edge sources: Rearm does nothing and Stop calls
// the function.
type StopFunc func()

// Rearm does nothing: an edge source fires on its own schedule.
func (f StopFunc) Rearm() {}

// Stop calls f.
func (f StopFunc) Stop() { f() }

// A Handle is a source's link to the one event it watches for. It is a small
// value, safe to copy and to use from any goroutine.
type Handle struct {
	c *Container
	e *entry
}

// ID returns the ID of the event.
func (h Handle) ID() ID { return h.e.id }

// Persistent reports whether the event is persistent.
func (h Handle) Persistent() bool { return h.e.persistent() }

// Fire reports that the source's condition happened, with value as
// Event.Value. It never blocks on a consumer. After the event is deleted it
// does nothing.
func (h Handle) Fire(reason Reason, value any) {
	h.c.fire(h.e, reason, value, nil, false)
}

// TryFire is Fire, reporting whether the firing was counted: false once the
// event is deleted (Del, Clear, Close, or the delivery of a one-shot event,
// by a timeout too), even if its Watcher is not stopped yet. A source that
// hands out what must not be lost, such as a message taken from a queue,
// keeps it for another event when the firing was not counted.
func (h Handle) TryFire(reason Reason, value any) bool {
	return h.c.fire(h.e, reason, value, nil, false)
}

// Error reports that the condition came with an error, such as a socket
// error: the event is delivered with err in Event.Err, and a persistent event
// stays. Its next delivery carries no error unless Error is called again.
func (h Handle) Error(reason Reason, err error) {
	h.c.fire(h.e, reason, nil, err, false)
}

// Fail reports that the source is gone for good: the event is delivered once
// more with reason and err in Event.Err, then deleted even if persistent, and
// its Watcher stopped. A descriptor closed under its event is reported this
// way (R15).
func (h Handle) Fail(reason Reason, err error) {
	h.c.fire(h.e, reason, nil, err, true)
}

// A Prober is a service (Handle.Service) that watches many sources from a
// goroutine of its own and can also look at them without blocking, from
// any goroutine: package poll's poller is one. The container calls Probe
// from the goroutine that delivers its events, once every probeEvery (64)
// deliveries, so that what the service watches becomes pending within a
// bounded number of deliveries, however busy the service's goroutine is
// kept, or the container's lock (R4): without it, a source that is always
// pending, such as a virtual event triggered at each delivery, could keep
// a ready descriptor waiting for as long as it takes that goroutine to be
// scheduled and to win the lock.
type Prober interface {
	// Probe fires, through the Handles of its events, what is ready now
	// and not fired yet, and returns when the firings are made: every
	// event whose source is ready is then pending. It must not wait for
	// the container's goroutines, nor block on its sources.
	Probe()
}

// A Waiter is a Prober that can also wait for its sources in the calling
// goroutine, as package poll's poller waits in the kernel: a step of a loop
// over All with nothing to take waits in it, rather than for the
// container's goroutines to hand it an event, and runs its body on the
// goroutine the readiness woke (the package documentation, "C or a loop").
// A container uses a Waiter this way only if it has exactly one.
//
// While a loop waits in it, the Waiter's own goroutine must not wait for
// the same sources (a kernel would wake both); the waiting stays with the
// loops until Release.
type Waiter interface {
	Prober
	// Wait blocks until one of its sources is ready, and fires it, or
	// until Wake is called or timeout passes (negative: no limit), and
	// reports waited true and how many events it fired; it may return
	// early. It reports waited false, at once, if it cannot wait now
	// (what it reported waits to be taken, say), and then gives the
	// waiting back to its own goroutine.
	Wait(timeout time.Duration) (fired int, waited bool)
	// Wake makes a Wait under way return at once, or the next one. It
	// may be called from any goroutine, at any time.
	Wake()
	// Release gives the waiting back to the Waiter's own goroutine: no
	// loop waits in it any more.
	Release()
}

// probeEvery is how many deliveries pass between two calls of Probe.
const probeEvery = 64

// Service returns the value this container keeps under key, calling start
// to make it the first time. Close closes every service after every event is
// deleted and every Watcher stopped. Sources use it for what one container
// needs once, such as a poller goroutine shared by all its descriptors; the
// key should be a value of an unexported type of the source's package.
// Service returns ErrClosed once the container is closed, the error of
// start if it fails, and an error wrapping ErrInvalid for a nil start, a
// key that cannot be a map key (a slice, say), or a start that returns
// neither a service nor an error.
func (h Handle) Service(key any, start func() (io.Closer, error)) (io.Closer, error) {
	return h.c.services.get(key, start)
}

// Service is Handle.Service for code outside a Watch: a source package's
// function that works on a container's service before any of its events
// exists, such as one that returns the ID of the thread a container's
// Windows message events are read on, so that others can post to it.
func (c *Container) Service(key any, start func() (io.Closer, error)) (io.Closer, error) {
	if err := c.usable(); err != nil {
		return nil, err // nothing would ever close the service
	}
	return c.services.get(key, start)
}
