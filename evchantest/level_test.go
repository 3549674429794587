package evchantest

import (
	"sync"
	"testing"

	"github.com/evchan/evchan/evchan"
)

// The suite's checks for level-triggered sources pass on a correct one.
func TestSourceLevel(t *testing.T) {
	TestSource(t, func(*testing.T) Subject {
		l := new(latch)
		return Subject{
			Spec:        evchan.Custom(l),
			Fire:        l.set,
			Reset:       l.reset,
			Reason:      evchan.Readable,
			Level:       true,
			Synchronous: true,
		}
	})
}

// latch is a level-triggered source without goroutines, the shape of a
// descriptor watched by a poller: its condition is a flag that holds from
// set to reset, and each registration reports it once per arming, armed at
// Watch and again at each Rearm.
type latch struct {
	mu      sync.Mutex
	holds   bool
	watches map[*latchWatch]bool // registration -> armed
	// stale breaks the latch for TestSuiteCatchesBrokenSources: Rearm
	// reports the condition whether it still holds or not.
	stale bool
	// edge breaks it the other way: set reports, armed or not, and Rearm
	// looks at nothing, as an edge-triggered poll (EPOLLET) would where a
	// level one was meant.
	edge bool
}

type latchWatch struct {
	l *latch
	h evchan.Handle
}

func (l *latch) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w := &latchWatch{l: l, h: h}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.watches == nil {
		l.watches = make(map[*latchWatch]bool)
	}
	l.watches[w] = true
	l.report(w)
	return w, nil
}

// report tells w's event that the condition holds, if it does and w is
// armed. Handle.Fire never calls back into the source, so holding l.mu
// while calling it is safe. Called with l.mu held.
func (l *latch) report(w *latchWatch) {
	if l.holds && l.watches[w] {
		l.watches[w] = false
		w.h.Fire(evchan.Readable, nil)
	}
}

func (l *latch) set() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.holds = true
	for w := range l.watches {
		if l.edge {
			w.h.Fire(evchan.Readable, nil)
			continue
		}
		l.report(w)
	}
}

func (l *latch) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.holds = false
}

func (w *latchWatch) Rearm() {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	if _, ok := w.l.watches[w]; ok && !w.l.edge {
		w.l.watches[w] = true
		if w.l.stale {
			w.l.watches[w] = false
			w.h.Fire(evchan.Readable, nil)
			return
		}
		w.l.report(w)
	}
}

func (w *latchWatch) Stop() {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	delete(w.l.watches, w)
}
