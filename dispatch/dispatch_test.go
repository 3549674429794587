package dispatch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
	"go.uber.org/goleak"
)

// No dispatcher leaves a goroutine behind (R12 for the container, and the
// promise of each strategy for its own).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// strategy is one dispatcher under test; concurrent says whether handlers
// may run at once.
type strategy struct {
	name       string
	run        func(ctx context.Context, c *evchan.Container, opts ...dispatch.Option) error
	concurrent bool
}

func strategies(n int) []strategy {
	return []strategy{
		{"Run", dispatch.Run, false},
		{"Goroutines", func(ctx context.Context, c *evchan.Container, opts ...dispatch.Option) error {
			return dispatch.Goroutines(ctx, c, n, opts...)
		}, true},
		{"Pool", func(ctx context.Context, c *evchan.Container, opts ...dispatch.Option) error {
			return dispatch.Pool(ctx, c, n, opts...)
		}, true},
	}
}

// each runs f for every strategy inside a synctest bubble with a fresh
// container.
func each(t *testing.T, n int, f func(t *testing.T, s strategy, c *evchan.Container)) {
	for _, s := range strategies(n) {
		t.Run(s.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := evchan.New()
				defer c.Close()
				f(t, s, c)
			})
		})
	}
}

type recorder struct {
	mu  sync.Mutex
	got map[string]int
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[string]int{}
	}
	r.got[s]++
}

// named is a Handler value, the draft's "obj" with a method.
type named struct {
	r    *recorder
	name string
}

func (h named) Handle(evchan.Event) { h.r.add(h.name) }

// Every event goes to the handler its context names, whatever form it takes;
// the others go to the fallback. With only one-shot events the loop ends when
// the container is empty (R1, R13).
func TestDelivery(t *testing.T) {
	each(t, 4, func(t *testing.T, s strategy, c *evchan.Container) {
		var r recorder
		const n = 50
		for i := range n {
			add(t, c, evchan.Virtual(true), func(evchan.Event) { r.add(fmt.Sprint("func ", i)) })
			add(t, c, evchan.Virtual(true), dispatch.HandlerFunc(func(evchan.Event) { r.add(fmt.Sprint("HandlerFunc ", i)) }))
			add(t, c, evchan.Virtual(true), named{&r, fmt.Sprint("Handler ", i)})
			add(t, c, evchan.Virtual(true), fmt.Sprint("plain ", i))
		}
		add(t, c, evchan.Timer(time.Second), func(e evchan.Event) { r.add("timer " + e.Reason.String()) })
		fallback := dispatch.Fallback(func(e evchan.Event) { r.add("fallback " + e.Data.(string)) })
		if err := s.run(t.Context(), c, fallback); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if c.Len() != 0 {
			t.Errorf("%d events left", c.Len())
		}
		want := map[string]int{"timer timeout": 1}
		for i := range n {
			want[fmt.Sprint("func ", i)] = 1
			want[fmt.Sprint("HandlerFunc ", i)] = 1
			want[fmt.Sprint("Handler ", i)] = 1
			want[fmt.Sprint("fallback plain ", i)] = 1
		}
		if fmt.Sprint(r.got) != fmt.Sprint(want) {
			t.Errorf("handled %v\nwant %v", r.got, want)
		}
	})
}

// Without a fallback, events with no handler are dropped and the loop goes on.
func TestNoFallbackDrops(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		var called atomic.Int32
		add(t, c, evchan.Virtual(true), "no handler")
		add(t, c, evchan.Virtual(true), nil)
		add(t, c, evchan.Virtual(true), func(evchan.Event) { called.Add(1) })
		if err := s.run(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if called.Load() != 1 {
			t.Errorf("handler called %d times, want 1", called.Load())
		}
	})
}

// overlap detects two runs of one handler at once.
type overlap struct {
	running atomic.Int32
	seen    atomic.Bool
}

func (o *overlap) enter() {
	if o.running.Add(1) != 1 {
		o.seen.Store(true)
	}
}
func (o *overlap) leave() { o.running.Add(-1) }

// A persistent event triggered many times from several goroutines is never
// handled twice at once, and no trigger is lost: the Counts add up to the
// triggers (R3, R5, R14). Real time and real parallelism, no bubble.
func TestPersistentNeverOverlaps(t *testing.T) {
	for _, s := range strategies(8) {
		t.Run(s.name, func(t *testing.T) {
			c := evchan.New()
			defer c.Close()
			const ids, triggerers, triggers = 3, 4, 500
			total := int64(ids * triggerers * triggers)
			var sum atomic.Int64
			var checks [ids]overlap
			var vids [ids]evchan.ID
			for k := range ids {
				vids[k] = add(t, c, evchan.Virtual(false).Persistent(), func(e evchan.Event) {
					checks[k].enter()
					defer checks[k].leave()
					for range 20 {
						runtime.Gosched()
					}
					if sum.Add(int64(e.Count)) == total {
						c.Stop() // R10, from a handler
					}
				})
			}
			var wg sync.WaitGroup
			for range triggerers {
				wg.Go(func() {
					for range triggers {
						for _, id := range vids {
							if !c.Trigger(id) {
								t.Error("Trigger failed")
								return
							}
						}
					}
				})
			}
			err := s.run(t.Context(), c)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if sum.Load() != total {
				t.Errorf("Counts add up to %d, want %d", sum.Load(), total)
			}
			for k := range checks {
				if checks[k].seen.Load() {
					t.Errorf("event %d was handled twice at once", k)
				}
			}
		})
	}
}

// seq is the context of an ordering test: Set gives each delivery the number
// of the latest trigger, so handling in delivery order sees them rise.
type seq struct {
	k, i int
	o    *orderCheck
}

type orderCheck struct {
	last  []atomic.Int64
	bad   atomic.Bool
	over  []overlap
	done  atomic.Int32
	ended []atomic.Bool // an ID's final data was handled (it can be twice: R8)
	final int
	stop  func()
}

func (s seq) Handle(evchan.Event) {
	o := s.o
	o.over[s.k].enter()
	defer o.over[s.k].leave()
	runtime.Gosched()
	if prev := o.last[s.k].Swap(int64(s.i)); int64(s.i) < prev {
		o.bad.Store(true)
	}
	// A delivery taken between the last SetData and the last Trigger
	// carries the final data too, so the second one is not counted.
	if s.i == o.final && o.ended[s.k].CompareAndSwap(false, true) && int(o.done.Add(1)) == len(o.last) {
		o.stop()
	}
}

// The events of one ID are handled in the order the container delivered
// them (R4), one at a time, while events of other IDs run beside them.
func TestPerIDOrder(t *testing.T) {
	for _, s := range strategies(4) {
		t.Run(s.name, func(t *testing.T) {
			c := evchan.New()
			defer c.Close()
			const ids, n = 6, 400
			o := &orderCheck{last: make([]atomic.Int64, ids), over: make([]overlap, ids), ended: make([]atomic.Bool, ids), final: n - 1, stop: c.Stop}
			var vids [ids]evchan.ID
			for k := range ids {
				o.last[k].Store(-1)
				vids[k] = add(t, c, evchan.Virtual(false).Persistent(), seq{k, -1, o})
			}
			var wg sync.WaitGroup
			for k := range ids {
				wg.Go(func() {
					for i := range n {
						c.SetData(vids[k], seq{k, i, o}) // R8: later deliveries carry i
						c.Trigger(vids[k])
					}
				})
			}
			err := s.run(t.Context(), c)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if o.bad.Load() {
				t.Error("an ID's events were handled out of delivery order")
			}
			for k := range o.over {
				if o.over[k].seen.Load() {
					t.Errorf("event %d was handled twice at once", k)
				}
			}
			if int(o.done.Load()) != ids {
				t.Errorf("%d IDs saw their last trigger handled, want %d", o.done.Load(), ids)
			}
		})
	}
}

// Goroutines and Pool never run more handlers at once than their bound, and
// reach it when there is work enough.
func TestConcurrencyBound(t *testing.T) {
	const bound = 3
	each(t, bound, func(t *testing.T, s strategy, c *evchan.Container) {
		var running, most atomic.Int32
		const n = 20
		for range n {
			add(t, c, evchan.Virtual(true), func(evchan.Event) {
				r := running.Add(1)
				for {
					m := most.Load()
					if r <= m || most.CompareAndSwap(m, r) {
						break
					}
				}
				time.Sleep(time.Second) // virtual time
				running.Add(-1)
			})
		}
		start := time.Now()
		if err := s.run(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		want, took := int32(1), time.Duration(n)*time.Second
		if s.concurrent {
			want, took = bound, (n+bound-1)/bound*time.Second
		}
		if most.Load() != want {
			t.Errorf("at most %d handlers ran at once, want %d", most.Load(), want)
		}
		if d := time.Since(start); d != took {
			t.Errorf("took %v, want %v", d, took)
		}
	})
}

// A handler that panics is reported to OnPanic; the loop goes on and the
// event's ID keeps working.
func TestPanicRecovered(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		var calls atomic.Int32
		var mu sync.Mutex
		var reported []string
		id := add(t, c, evchan.Virtual(true).Persistent(), func(e evchan.Event) {
			switch calls.Add(1) {
			case 1:
				c.Trigger(e.ID)
				panic("first call")
			case 2:
				c.Trigger(e.ID)
				panic(errors.New("second call"))
			default:
				c.Stop()
			}
		})
		var others atomic.Int32
		add(t, c, evchan.Virtual(true), func(evchan.Event) { others.Add(1) })
		onPanic := dispatch.OnPanic(func(e evchan.Event, r any) {
			mu.Lock()
			defer mu.Unlock()
			if e.ID != id {
				t.Errorf("OnPanic got event %d, want %d", e.ID, id)
			}
			reported = append(reported, fmt.Sprint(r))
		})
		if err := s.run(t.Context(), c, onPanic); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 3 || others.Load() != 1 {
			t.Errorf("the panicking handler ran %d times, want 3; the other %d, want 1", calls.Load(), others.Load())
		}
		if len(reported) != 2 || reported[0] != "first call" || reported[1] != "second call" {
			t.Errorf("OnPanic got %q", reported)
		}
		if !c.Trigger(id) {
			t.Error("the event that panicked is gone") // R1: persistent stays
		}
	})
}

// Without OnPanic the panic is logged, and the loop goes on all the same.
func TestPanicDefaultLogs(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		var logged bytes.Buffer
		log.SetOutput(&logged)
		defer log.SetOutput(os.Stderr)
		var after atomic.Bool
		add(t, c, evchan.Virtual(true), func(evchan.Event) { panic("logged, not fatal") })
		add(t, c, evchan.Timer(time.Second), func(evchan.Event) { after.Store(true) })
		if err := s.run(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if !after.Load() {
			t.Error("the loop ended at the panic")
		}
		if !strings.Contains(logged.String(), "panicked: logged, not fatal") || !strings.Contains(logged.String(), "TestPanicDefaultLogs") {
			t.Errorf("logged %q, want the panic and its stack", logged.String())
		}
	})
}

// started runs the strategy on its own goroutine and returns the channel its
// result comes on.
func started(t *testing.T, s strategy, ctx context.Context, c *evchan.Container) <-chan error {
	done := make(chan error, 1)
	go func() { done <- s.run(ctx, c) }()
	synctest.Wait()
	select {
	case err := <-done:
		t.Fatalf("%s returned %v before being told to end", s.name, err)
	default:
	}
	return done
}

// returned waits for the dispatcher's result, up to a virtual minute.
func returned(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("the dispatcher did not return")
		return nil
	}
}

// Every strategy ends when its context is done, returning its error, and
// only once the handler in flight has finished.
func TestEndsOnCancel(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		ctx, cancel := context.WithCancel(t.Context())
		var finished atomic.Bool
		add(t, c, evchan.Virtual(false).Persistent(), "never fires")
		add(t, c, evchan.Virtual(true), func(evchan.Event) {
			time.Sleep(time.Second)
			finished.Store(true)
		})
		done := started(t, s, ctx, c)
		start := time.Now()
		cancel()
		if err := returned(t, done); !errors.Is(err, context.Canceled) {
			t.Errorf("returned %v, want context.Canceled", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("returned after %v, want 1s: when the handler finished", d)
		}
		if !finished.Load() {
			t.Error("returned before its handler finished")
		}
		if c.Len() != 1 {
			t.Errorf("%d events left, want 1", c.Len())
		}
	})
}

// Stop from another goroutine ends every strategy, which returns nil and
// leaves pending events pending (R10).
func TestEndsOnStop(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		idle := add(t, c, evchan.Virtual(false).Persistent(), "never fires")
		done := started(t, s, t.Context(), c)
		c.Stop()
		if err := returned(t, done); err != nil {
			t.Errorf("returned %v, want nil", err)
		}
		if !c.Trigger(idle) {
			t.Fatal("Stop deleted an event")
		}
		// The next loop takes what is pending (R10).
		var got atomic.Bool
		c.SetData(idle, func(evchan.Event) { got.Store(true); c.Stop() })
		if err := s.run(t.Context(), c); err != nil || !got.Load() {
			t.Errorf("after Stop: returned %v, handled %v", err, got.Load())
		}
	})
}

// Close ends every strategy, from another goroutine or from a handler (R12).
func TestEndsOnClose(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		add(t, c, evchan.Virtual(false).Persistent(), "never fires")
		done := started(t, s, t.Context(), c)
		c.Close()
		if err := returned(t, done); err != nil {
			t.Errorf("returned %v, want nil", err)
		}
	})
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		add(t, c, evchan.Virtual(false).Persistent(), "never fires")
		add(t, c, evchan.Timer(time.Second), func(evchan.Event) { c.Close() })
		if err := s.run(t.Context(), c); err != nil {
			t.Errorf("returned %v, want nil", err)
		}
	})
}

// With concurrent handlers the container may be empty for a moment while a
// handler is about to add the next event: the loop waits for the handler
// instead of ending (R13 as the serial loop sees it).
func TestChainedOneShots(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		var n atomic.Int32
		var next func(evchan.Event)
		next = func(evchan.Event) {
			time.Sleep(time.Second)
			if n.Add(1) < 5 {
				if _, err := c.Once(next); err != nil {
					t.Error(err)
				}
			}
		}
		add(t, c, evchan.Virtual(true), next)
		if err := s.run(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 5 {
			t.Errorf("%d links of the chain ran, want 5", n.Load())
		}
	})
}

func TestBadBound(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	if err := dispatch.Goroutines(t.Context(), c, 0); !errors.Is(err, evchan.ErrInvalid) {
		t.Errorf("Goroutines(0): %v", err)
	}
	if err := dispatch.Pool(t.Context(), c, -1); !errors.Is(err, evchan.ErrInvalid) {
		t.Errorf("Pool(-1): %v", err)
	}
}

// The refusals name the function and the bound given, in one sentence.
func TestBadBoundTexts(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	if err, want := dispatch.Goroutines(t.Context(), c, 0), "dispatch: Goroutines needs a limit of at least 1, not 0"; err == nil || err.Error() != want {
		t.Errorf("Goroutines(0): %v, want %q", err, want)
	}
	if err, want := dispatch.Pool(t.Context(), c, -1), "dispatch: Pool needs at least 1 worker, not -1"; err == nil || err.Error() != want {
		t.Errorf("Pool(-1): %v, want %q", err, want)
	}
}

func add(t *testing.T, c *evchan.Container, spec evchan.Spec, ctx any) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A Stop that comes while the container is empty and a handler is about to
// add an event still ends the loop (R10): the concurrent strategies do not
// take it for a passing emptiness. The event added stays pending.
func TestStopWhileEmpty(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		add(t, c, evchan.Virtual(true), func(evchan.Event) {
			time.Sleep(time.Second)
			if _, err := c.Once("added after Stop"); err != nil {
				t.Error(err)
			}
		})
		done := make(chan error, 1)
		go func() { done <- s.run(t.Context(), c) }()
		time.Sleep(time.Second / 2)
		c.Stop()
		if err := returned(t, done); err != nil {
			t.Fatal(err)
		}
		if c.Len() != 1 {
			t.Errorf("%d events left, want the one added after Stop", c.Len())
		}
	})
}

// Clear ends every strategy, as the draft says it aborts a loop (R11).
func TestEndsOnClear(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		add(t, c, evchan.Virtual(false).Persistent(), "never fires")
		add(t, c, evchan.Timer(time.Second), func(evchan.Event) { c.Clear() })
		if err := s.run(t.Context(), c); err != nil {
			t.Errorf("returned %v, want nil", err)
		}
		if _, err := c.Once("usable"); err != nil {
			t.Error(err)
		}
	})
}

// An empty container, or a closed one, ends every strategy at once.
func TestEmptyAndClosed(t *testing.T) {
	each(t, 2, func(t *testing.T, s strategy, c *evchan.Container) {
		if err := s.run(t.Context(), c); err != nil {
			t.Errorf("empty: %v", err)
		}
		c.Close()
		if err := s.run(t.Context(), c); err != nil {
			t.Errorf("closed: %v", err)
		}
	})
}

// A slow handler of a busy persistent event does not make the dispatcher
// queue its deliveries: once its bound of events is held it takes no more,
// the triggers wait in the container and coalesce (R3), and their Counts
// add up to every trigger.
func TestBackPressure(t *testing.T) {
	const bound = 2
	each(t, bound, func(t *testing.T, s strategy, c *evchan.Container) {
		var deliveries, counted atomic.Int64
		id := add(t, c, evchan.Virtual(false).Persistent(), func(e evchan.Event) {
			deliveries.Add(1)
			counted.Add(int64(e.Count))
			time.Sleep(time.Second)
		})
		const triggers = 100 // one every 100ms for 10s
		go func() {
			for range triggers {
				c.Trigger(id)
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(5 * time.Second) // the last deliveries are handled
			c.Stop()
		}()
		if err := s.run(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if counted.Load() != triggers {
			t.Errorf("Counts add up to %d, want %d", counted.Load(), triggers)
		}
		// One delivery a second while triggers come, plus the ones held when
		// they stop.
		if d := deliveries.Load(); d > 10+bound {
			t.Errorf("%d deliveries for %d triggers over 10s of a handler taking 1s", d, triggers)
		}
	})
}

// rearmCounter is a custom source that counts the container's re-arms of
// its one registration.
type rearmCounter struct {
	h      chan evchan.Handle
	rearms atomic.Int32
}

func (s *rearmCounter) Watch(h evchan.Handle) (evchan.Watcher, error) {
	s.h <- h
	return s, nil
}

func (s *rearmCounter) Rearm() { s.rearms.Add(1) }
func (s *rearmCounter) Stop()  {}

// A persistent event is re-armed once its handler has returned, not when
// the dispatcher's loop takes the next event: a level-triggered source then
// never reports again what the handler is about to read (evchan's Hold).
// With Run the handler is the loop's body, so it holds the same.
func TestRearmAfterHandler(t *testing.T) {
	each(t, 4, func(t *testing.T, s strategy, c *evchan.Container) {
		src := &rearmCounter{h: make(chan evchan.Handle, 1)}
		inHandler := make(chan int32)
		proceed := make(chan struct{})
		id := add(t, c, evchan.Custom(src).Persistent(), func(evchan.Event) {
			inHandler <- src.rearms.Load()
			<-proceed
		})
		h := <-src.h
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- s.run(ctx, c) }()
		h.Fire(evchan.Readable, nil)
		if n := <-inHandler; n != 0 {
			t.Fatalf("%d re-arms when the handler started", n)
		}
		synctest.Wait() // the dispatcher waits for its next event
		if n := src.rearms.Load(); n != 0 {
			t.Fatalf("%d re-arms while the handler runs, want 0", n)
		}
		close(proceed)
		synctest.Wait()
		if n := src.rearms.Load(); n != 1 {
			t.Fatalf("%d re-arms after the handler returned, want 1", n)
		}
		cancel()
		<-done
		c.Del(id)
	})
}

// A handler that ends its goroutine with runtime.Goexit (t.FailNow in a
// handler does) is treated as one that returned: its event is released,
// the events of its ID queued behind it run, and a Pool replaces the
// worker it ended. Before, the dispatcher waited for it for ever (in a
// synctest bubble, a deadlock).
func TestHandlerGoexit(t *testing.T) {
	for _, s := range strategies(1)[1:] { // Run's loop is the caller's goroutine: Goexit ends the caller
		t.Run(s.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := evchan.New()
				defer c.Close()
				var calls atomic.Int32
				id := add(t, c, evchan.Virtual(true).Persistent(), func(e evchan.Event) {
					if calls.Add(1) <= 2 {
						c.Trigger(e.ID)
						runtime.Goexit()
					}
				})
				var other atomic.Int32
				add(t, c, evchan.Virtual(true), func(evchan.Event) { other.Add(1) })
				done := make(chan error, 1)
				go func() { done <- s.run(t.Context(), c) }()
				synctest.Wait()
				if n := calls.Load(); n != 3 || other.Load() != 1 {
					t.Fatalf("the handler ran %d times, want 3; the other %d, want 1", n, other.Load())
				}
				if n := c.Len(); n != 2 { // id and the dispatcher's own event (doc "Ending")
					t.Fatalf("Len = %d, want 2: the persistent event %d stays", n, id)
				}
				c.Stop() // a Del from outside, while idle, would be noticed only at the next event (doc "Ending")
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}
