package sigs

import (
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
)

// relayBuffer is the capacity of each relay's channel. os/signal never
// blocks on a full channel, it drops the arrival: the buffer only has to
// cover the moments the relay goroutine is busy firing, and it is what
// keeps the memory of a signal storm bounded.
const relayBuffer = 32

// A hub is one container's signal service: a relay per signal that some
// event of the container watches. It is started by the container's first
// signal event and closed with the container.
type hub struct {
	mu     sync.Mutex
	closed bool
	relays map[os.Signal]*relay
	// running counts the relay goroutines, including those that ended
	// their relay themselves (a last one-shot event) and are still firing:
	// Close waits for them all (R12).
	running sync.WaitGroup
}

func newHub() *hub { return &hub{relays: make(map[os.Signal]*relay)} }

// A relay is one signal.Notify registration and the goroutine that hands
// each arrival to every event of the container watching that signal.
type relay struct {
	hub  *hub
	sig  os.Signal
	ch   chan os.Signal
	quit chan struct{} // closed to end the goroutine
	done chan struct{} // closed by the goroutine as it ends

	// watchers is replaced, never changed in place, with hub.mu held.
	watchers atomic.Pointer[[]*watcher]
	stopped  bool // guarded by hub.mu
}

// A watcher is one event's registration with a relay.
type watcher struct {
	hub   *hub
	relay *relay
	sig   os.Signal
	h     evchan.Handle
}

// testHookRelayed, when set, is called by a relay goroutine after it has
// handed an arrival to every event watching it.
var testHookRelayed atomic.Pointer[func(os.Signal)]

// watch registers the event of h for sig, starting the signal's relay if
// no event of the container watches it yet.
func (hb *hub) watch(sig os.Signal, h evchan.Handle) (evchan.Watcher, error) {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	if hb.closed {
		return nil, evchan.ErrClosed
	}
	r := hb.relays[sig]
	if r == nil {
		r = &relay{
			hub:  hb,
			sig:  sig,
			ch:   make(chan os.Signal, relayBuffer),
			quit: make(chan struct{}),
			done: make(chan struct{}),
		}
		r.watchers.Store(&[]*watcher{})
		signal.Notify(r.ch, sig)
		hb.running.Go(r.run)
		hb.relays[sig] = r
	}
	w := &watcher{hub: hb, relay: r, sig: sig, h: h}
	ws := append(slices.Clone(*r.watchers.Load()), w)
	r.watchers.Store(&ws)
	return w, nil
}

// run hands each arrival to the events watching it. Handle.Fire never
// blocks, so neither does the relay: a consumer that falls behind sees the
// arrivals coalesced (R3).
func (r *relay) run() {
	defer close(r.done)
	for {
		select {
		case <-r.quit:
			return
		case sig := <-r.ch:
			ws, ended := r.take() // the one-shots released before their delivery can happen
			for _, w := range ws {
				w.h.Fire(evchan.Signal, sig)
			}
			if hook := testHookRelayed.Load(); hook != nil {
				(*hook)(sig)
			}
			if ended {
				return
			}
		}
	}
}

// take returns the watchers an arrival goes to, and stops catching the
// signal for the one-shot events among them, which are about to fire with
// it: a one-shot event catches one arrival, so the signal is released
// before it can be delivered, and a consumer that acts on the delivery
// finds the default action back already (R1, R9). The container's later
// Stop of these watchers finds them gone. Both under hub.mu, so that a
// one-shot event added meanwhile is either given this arrival or kept for
// the next. take reports whether the relay was left without watchers, and
// so ended.
func (r *relay) take() (ws []*watcher, ended bool) {
	hb := r.hub
	hb.mu.Lock()
	defer hb.mu.Unlock()
	ws = *r.watchers.Load()
	if r.stopped || !slices.ContainsFunc(ws, isOneShot) {
		// (stopped: Close or the last Stop is ending the relay already.)
		return ws, false
	}
	kept := slices.DeleteFunc(slices.Clone(ws), isOneShot)
	r.watchers.Store(&kept)
	if len(kept) > 0 {
		return ws, false
	}
	r.stopped = true
	delete(hb.relays, r.sig)
	signal.Stop(r.ch)
	return ws, true
}

func isOneShot(w *watcher) bool { return !w.h.Persistent() }

// stop ends the relay: once signal.Stop returns, os/signal sends nothing
// more on the relay's channel, and when no other channel in the process is
// registered for the signal, its default action is back (R9). signal.Stop
// leaves every other registration alone, unlike signal.Reset. Then stop
// waits for the goroutine to end, which takes no longer than the Fire calls
// it may be making.
func (r *relay) stop() {
	signal.Stop(r.ch)
	close(r.quit)
	<-r.done
}

// Rearm does nothing: a signal fires on its own schedule.
func (w *watcher) Rearm() {}

// Stop ends the event's registration; the last one of a signal in the
// container stops its relay. The container calls it once the event is
// deleted, so a firing racing with it is dropped by the container (R9).
func (w *watcher) Stop() {
	hb, r := w.hub, w.relay
	hb.mu.Lock()
	ws := *r.watchers.Load()
	i := slices.Index(ws, w)
	if i < 0 || r.stopped { // stopped already, or the hub was closed
		hb.mu.Unlock()
		return
	}
	ws = slices.Delete(slices.Clone(ws), i, i+1)
	r.watchers.Store(&ws)
	last := len(ws) == 0
	if last {
		r.stopped = true
		delete(hb.relays, w.sig)
	}
	hb.mu.Unlock()
	if last {
		r.stop()
	}
}

// Close stops every relay. The container closes its services after
// stopping every Watcher, so there is normally none left.
func (hb *hub) Close() error {
	hb.mu.Lock()
	hb.closed = true
	var relays []*relay
	for _, r := range hb.relays {
		r.stopped = true
		relays = append(relays, r)
	}
	clear(hb.relays)
	hb.mu.Unlock()
	for _, r := range relays {
		r.stop()
	}
	hb.running.Wait()
	return nil
}
