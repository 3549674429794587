package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// A Handler handles the events whose data it is.
type Handler interface {
	Handle(e evchan.Event)
}

// HandlerFunc makes a function a Handler. A plain func(evchan.Event) given
// as an event's data is called as well; HandlerFunc is for code that
// wants the interface.
type HandlerFunc func(e evchan.Event)

// Handle calls f(e).
func (f HandlerFunc) Handle(e evchan.Event) { f(e) }

// An Option configures a dispatcher.
type Option func(*config)

// Fallback sets the handler of the events whose data is not a handler
// (a func(evchan.Event) or a Handler). Without it such events are dropped.
// It runs where a handler would, under the same rules (per-ID order,
// the concurrency bound, panic recovery).
func Fallback(h func(evchan.Event)) Option {
	return func(c *config) { c.fallback = h }
}

// OnPanic sets the function told of a handler's panic, with the event it was
// handling and the value recovered. It runs on the goroutine of the handler
// that panicked, right after it, and must not panic itself. Without it the
// panic is logged with its stack by the log package. Either way the loop
// goes on and the event's ID keeps working.
func OnPanic(f func(e evchan.Event, recovered any)) Option {
	return func(c *config) { c.onPanic = f }
}

type config struct {
	fallback func(evchan.Event)
	onPanic  func(evchan.Event, any)
}

func newConfig(opts []Option) *config {
	cfg := &config{}
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	return cfg
}

// handle calls the handler of e, recovering a panic.
func (cfg *config) handle(e evchan.Event) {
	defer func() {
		if r := recover(); r != nil {
			if cfg.onPanic != nil {
				cfg.onPanic(e, r)
			} else {
				log.Printf("dispatch: handler of %v panicked: %v\n%s", e, r, debug.Stack())
			}
		}
	}()
	switch h := e.Data.(type) {
	case Handler:
		h.Handle(e)
	case func(evchan.Event):
		h(e)
	default:
		if cfg.fallback != nil {
			cfg.fallback(e)
		}
	}
}

// Run handles the events of c one at a time in the caller's goroutine, in
// the order the container delivers them: the draft's
// `for id, reason, src, obj in ev(true) do ... end` with a call in the body.
//
// It ends when ctx is done (returning ctx.Err()), when c.Stop or c.Close is
// called, from a handler too, or when c is empty (returning nil), as a loop
// over c.AllContext(ctx, evchan.Block) does (R10, R13). Handlers may call
// any method of c (R14). A nil ctx is taken as context.Background(); a nil
// c is an error wrapping evchan.ErrInvalid.
func Run(ctx context.Context, c *evchan.Container, opts ...Option) error {
	if c == nil {
		return errNilContainer
	}
	ctx = orBackground(ctx)
	cfg := newConfig(opts)
	for e := range c.AllContext(ctx, evchan.Block) {
		cfg.handle(e)
	}
	return ctx.Err()
}

// Goroutines handles each event of c on a goroutine of its own, with at most
// limit events taken out of c and not yet handled (so at most limit handlers
// running at once). Events of one ID are handled one at a time, in the order
// c delivered them.
//
// It ends as Run does (but see "Ending" in the package documentation for an
// empty container), and then waits for the handlers in flight and the
// events already taken: no goroutine it started outlives it. A limit below 1
// or a nil c is an error wrapping evchan.ErrInvalid. A nil ctx is taken as
// context.Background().
func Goroutines(ctx context.Context, c *evchan.Container, limit int, opts ...Option) error {
	if limit < 1 {
		return errs.New(fmt.Sprintf("dispatch: Goroutines needs a limit of at least 1, not %d", limit), evchan.ErrInvalid)
	}
	if c == nil {
		return errNilContainer
	}
	ctx = orBackground(ctx)
	s := newScheduler(newConfig(opts), c, limit)
	s.start = func(h held) { s.wg.Go(func() { s.runChain(h) }) }
	err := s.loop(ctx, c)
	s.wg.Wait()
	return err
}

// Pool handles the events of c on workers goroutines started once, with at
// most workers events taken out of c and not yet handled. Events of one ID
// are handled one at a time, in the order c delivered them.
//
// It ends as Run does (but see "Ending" in the package documentation for an
// empty container), and then waits for the handlers in flight and the
// events already taken, and ends its workers. A workers count below 1 or a
// nil c is an error wrapping evchan.ErrInvalid. A nil ctx is taken as
// context.Background().
func Pool(ctx context.Context, c *evchan.Container, workers int, opts ...Option) error {
	if workers < 1 {
		return errs.New(fmt.Sprintf("dispatch: Pool needs at least 1 worker, not %d", workers), evchan.ErrInvalid)
	}
	if c == nil {
		return errNilContainer
	}
	ctx = orBackground(ctx)
	s := newScheduler(newConfig(opts), c, workers)
	// Never full: what it holds is a part of the events held, at most workers.
	work := make(chan held, workers)
	var worker func()
	worker = func() {
		ended := false
		defer func() {
			if !ended { // a handler ended this goroutine (runtime.Goexit): replace it
				s.wg.Go(worker)
			}
		}()
		for h := range work {
			s.runChain(h)
		}
		ended = true
	}
	for range workers {
		s.wg.Go(worker)
	}
	s.start = func(h held) { work <- h }
	err := s.loop(ctx, c)
	close(work)
	s.wg.Wait()
	return err
}

// errNilContainer is what every strategy returns for a nil container.
var errNilContainer = errs.New("dispatch: nil container: make one with evchan.New", evchan.ErrInvalid)

// orBackground is the package's one reading of a nil ctx: no deadline and
// no cancellation, as evchan.Container.AllContext and Next read it. Each
// strategy applies it on entry, before anything calls ctx.Done or ctx.Err,
// so that a nil ctx means the same to a dispatcher as to the loop it runs
// over instead of panicking once the loop ends (R13, R15).
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// scheduler is what Goroutines and Pool share: the bound on events held and
// the order of the events of each ID.
type scheduler struct {
	cfg   *config
	limit int
	// tokens holds one value per event taken out of the container and not yet
	// handled: the loop puts one in before it takes an event, a handler's end
	// takes it out.
	tokens chan struct{}
	start  func(held) // hands a runnable event to a goroutine
	c      *evchan.Container
	check  evchan.ID      // the loop's own event (see loop)
	wg     sync.WaitGroup // the goroutines started

	mu sync.Mutex
	// busy has a key for each ID being handled; its value is the events of
	// that ID waiting behind the one being handled, in delivery order.
	busy map[evchan.ID][]held
}

// held is an event taken out of the container and not yet handled, with
// the release of its hold (evchan.Container.Hold): the loop re-arms a
// persistent event only once its handler has consumed what it announced,
// not when the loop takes the next event.
type held struct {
	e       evchan.Event
	release func()
}

func newScheduler(cfg *config, c *evchan.Container, limit int) *scheduler {
	return &scheduler{
		cfg:    cfg,
		c:      c,
		limit:  limit,
		tokens: make(chan struct{}, limit),
		busy:   make(map[evchan.ID][]held),
	}
}

// acquire waits for room to hold one more event, or for ctx to end.
func (s *scheduler) acquire(ctx context.Context) bool {
	select {
	case s.tokens <- struct{}{}:
		return true
	default:
	}
	select {
	case s.tokens <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// waitIdle waits until every event taken has been handled.
func (s *scheduler) waitIdle() {
	for range s.limit {
		s.tokens <- struct{}{}
	}
	for range s.limit {
		<-s.tokens
	}
}

// idleCheck is the data of the event with which a concurrent
// dispatcher asks itself whether its loop should end (see loop).
type idleCheck struct{}

// loop takes the events of c and hands them out until the loop must end.
//
// A loop over a container ends when the container is empty (R13), but with
// handlers running concurrently an empty container may only be waiting for
// a handler to add the next event. So the loop keeps an event of its own in
// the container, a persistent virtual event that is never handed to a
// handler: the container is never empty for the loop's iteration, which
// therefore ends only on ctx, Stop or Close (or Clear, which deletes it too),
// and the loop ends by itself when this event is the only one left and no
// handler is running. It is triggered when the last handler in flight ends,
// and at the start.
func (s *scheduler) loop(ctx context.Context, c *evchan.Container) error {
	check, err := c.Add(evchan.Virtual(true).Persistent(), idleCheck{}, 0)
	if err != nil {
		if errors.Is(err, evchan.ErrClosed) {
			return nil // R12: a closed container has nothing to dispatch
		}
		return err
	}
	s.check = check
	defer c.Del(check)
	defer s.waitIdle()
	if !s.acquire(ctx) {
		return ctx.Err()
	}
	for e := range c.AllContext(ctx, evchan.Block) {
		if e.ID == check {
			// The room taken for this event serves for the next one. Idle is
			// when that room is the only one in use.
			if c.Len() == 1 && len(s.tokens) == 1 {
				break
			}
			continue
		}
		s.submit(held{e, c.Hold(e.ID)})
		if !s.acquire(ctx) {
			return ctx.Err()
		}
	}
	<-s.tokens // the room taken for an event that did not come
	return ctx.Err()
}

// submit hands h to a goroutine, or queues it behind the event of the same
// ID being handled.
func (s *scheduler) submit(h held) {
	id := h.e.ID
	s.mu.Lock()
	if q, busy := s.busy[id]; busy {
		s.busy[id] = append(q, h)
		s.mu.Unlock()
		return
	}
	s.busy[id] = nil
	s.mu.Unlock()
	s.start(h)
}

// runChain handles h, then the events of its ID queued meanwhile. A
// handler that ends its goroutine (runtime.Goexit, as t.FailNow does)
// still has its event released, and the rest of its ID's queue goes on on
// another goroutine: otherwise the hold, the room it took and its ID would
// stay taken for good, and the dispatcher would never end.
func (s *scheduler) runChain(h held) {
	finished := false
	defer func() {
		if !finished {
			if next, more := s.handled(h); more {
				s.start(next)
			}
		}
	}()
	for {
		s.cfg.handle(h.e)
		next, more := s.handled(h)
		if !more {
			finished = true
			return
		}
		h = next
	}
}

// handled ends the handling of h: releases its hold and its room, and
// returns the next event of its ID, if one is queued.
func (s *scheduler) handled(h held) (next held, more bool) {
	id := h.e.ID
	h.release()
	<-s.tokens
	s.mu.Lock()
	q := s.busy[id]
	if len(q) == 0 {
		delete(s.busy, id)
		s.mu.Unlock()
		// Perhaps the last handler in flight: the loop then looks whether
		// anything is left (see loop). Only the loop's room for its next
		// event is in use when nothing else is held.
		if len(s.tokens) <= 1 {
			s.c.Trigger(s.check)
		}
		return held{}, false
	}
	next, s.busy[id] = q[0], q[1:]
	s.mu.Unlock()
	return next, true
}
