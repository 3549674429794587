package evchantest

import (
	"maps"
	"slices"
	"sync"

	"github.com/evchan/evchan/evchan"
)

// A Pulse is a source for tests: an edge condition that happens each time
// Fire is called, reported to every event of the Pulse in every container.
// Event.Reason is evchan.Triggered, Event.Source the Pulse, and Event.Value
// the number of the latest Fire call (1 for the first).
//
// It is fed through channels: each registration is a goroutine that waits
// for Fire to hand it a firing, the shape of a source whose condition is
// noticed by a goroutine of its own. Fire waits until every registration has
// passed its firing to the container, which makes a Pulse a Synchronous
// Subject, and tests of container code with it exact.
//
// The zero Pulse is ready to use; NewPulse is there for symmetry with other
// sources. A Pulse must not be copied after first use.
type Pulse struct {
	mu      sync.Mutex
	fired   int
	watches map[*pulseWatch]struct{}
}

// NewPulse returns a Pulse that has not fired.
func NewPulse() *Pulse { return new(Pulse) }

// Spec returns the Spec of a one-shot event of p; Persistent makes the
// persistent one.
func (p *Pulse) Spec() evchan.Spec { return evchan.Custom(p) }

// Subject returns p as a synchronous edge Subject for TestSource.
func (p *Pulse) Subject() Subject {
	return Subject{Spec: p.Spec(), Fire: p.Fire, Reason: evchan.Triggered, Synchronous: true}
}

// Fire makes p's condition happen once, and returns once every event of p
// has been told (with Handle.Fire). It may be called from any goroutine.
func (p *Pulse) Fire() {
	p.mu.Lock()
	p.fired++
	f := firing{number: p.fired}
	watches := slices.Collect(maps.Keys(p.watches))
	p.mu.Unlock()
	// The watches are told without the lock, so that one being stopped
	// meanwhile never waits for Fire.
	for _, w := range watches {
		f.told = make(chan struct{})
		select {
		case w.firings <- f:
			<-f.told
		case <-w.ended: // stopped meanwhile: its event is gone
		}
	}
}

// Watching returns how many events of p are being watched: how many Watch
// calls have not been stopped. Tests use it to see that a container stops
// what it started (R9, R11, R12).
func (p *Pulse) Watching() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.watches)
}

// Watch starts the goroutine of one registration. It is the evchan.Source
// method, for the container to call.
func (p *Pulse) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w := &pulseWatch{
		pulse:   p,
		firings: make(chan firing),
		stop:    make(chan struct{}),
		ended:   make(chan struct{}),
	}
	p.mu.Lock()
	if p.watches == nil {
		p.watches = make(map[*pulseWatch]struct{})
	}
	p.watches[w] = struct{}{}
	p.mu.Unlock()
	go w.run(h)
	return w, nil
}

// firing is one Fire call, as handed to a registration's goroutine.
type firing struct {
	number int
	told   chan struct{} // closed once the firing is passed to the container
}

// pulseWatch is one registration of a Pulse.
type pulseWatch struct {
	pulse    *Pulse
	firings  chan firing
	stopOnce sync.Once
	stop     chan struct{} // closed by Stop
	ended    chan struct{} // closed as run returns
}

// run is the registration's goroutine: it passes each firing to the
// container until the registration is stopped.
func (w *pulseWatch) run(h evchan.Handle) {
	defer close(w.ended)
	for {
		select {
		case f := <-w.firings:
			h.Fire(evchan.Triggered, f.number)
			close(f.told)
		case <-w.stop:
			return
		}
	}
}

// Rearm does nothing: a Pulse is an edge source.
func (w *pulseWatch) Rearm() {}

// Stop ends the registration and waits for its goroutine, so that once the
// container has stopped it, nothing of it is left running.
func (w *pulseWatch) Stop() {
	w.stopOnce.Do(func() {
		w.pulse.mu.Lock()
		delete(w.pulse.watches, w)
		w.pulse.mu.Unlock()
		close(w.stop)
	})
	<-w.ended
}
