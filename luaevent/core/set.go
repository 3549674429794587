package core

// A set: the draft's methods over one evchan container.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
	"github.com/evchan/evchan/sources"
)

// A Set is the Go side of one event set: its container, its current loop,
// and the signals its events watch. Its methods are those of the draft, less
// the Lua values, which the binding keeps (see the package documentation).
// Except for Watching, they must not be called concurrently.
type Set struct {
	// C is the set's container.
	C *evchan.Container

	gen  uint64 // the current loop's generation
	loop *evchan.Loop

	// sigs holds the signal of every live signal event, for Watching,
	// which other goroutines call; nsigs is its length. caught counts the
	// deliveries of each signal's events, for Caught.
	sigMu  sync.Mutex
	sigs   map[evchan.ID]os.Signal
	nsigs  atomic.Int32
	caught map[os.Signal]uint64
	// anyCaught says caught is not empty: Caught takes no lock before.
	anyCaught atomic.Bool
}

// NewSet returns a set with a new container.
func NewSet() *Set { return &Set{C: evchan.New()} }

// Add is ev:add(type, source, context, timeout): it returns the new event's
// ID. typ, src and timeout are arguments #1, #2 and #4; obj is the Object of
// src when src is a table or a userdata (nil otherwise). The binding keeps
// src and the context under the ID it returns.
func (s *Set) Add(typ, src, timeout Value, obj Object) (evchan.ID, error) {
	letter, lower, err := letter(typ)
	if err != nil {
		return 0, err
	}
	goSrc, msg, err := source(lower, src, obj)
	if err != nil {
		return 0, err
	}
	if msg != "" {
		return 0, argError(fnAdd, 2, msg)
	}
	d, _, err := timeoutOf(timeout, fnAdd, 4)
	if err != nil {
		return 0, err
	}
	spec, err := sources.Parse(letter, goSrc)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			return 0, argError(fnAdd, 1, fmt.Sprintf("event type %q is not supported on this platform", letter))
		}
		return 0, argError(fnAdd, 2, err.Error())
	}
	id, err := s.C.Add(spec, nil, d)
	if err != nil {
		switch {
		case errors.Is(err, errors.ErrUnsupported):
			return 0, argError(fnAdd, 1, fmt.Sprintf("event type %q is not supported on this platform", letter))
		case errors.Is(err, evchan.ErrClosed):
			return 0, &ClosedError{Func: fnAdd}
		}
		return 0, argError(fnAdd, 2, err.Error())
	}
	if lower == 's' {
		if sig, err := sigs.Lookup(goSrc); err == nil {
			s.sigMu.Lock()
			if s.sigs == nil {
				s.sigs = map[evchan.ID]os.Signal{}
			}
			s.sigs[id] = sig
			s.nsigs.Store(int32(len(s.sigs)))
			s.sigMu.Unlock()
		}
	}
	return id, nil
}

// Set is ev:set(id, context, timeout): it reports the ID and whether the
// event exists, in which case the binding replaces its context. idv and
// timeout are arguments #1 and #3; a non-number timeout leaves the event's
// timeout as it is (R8).
func (s *Set) Set(idv, timeout Value) (evchan.ID, bool, error) {
	id, err := checkID(&idv, fnSet, 1)
	if err != nil {
		return 0, false, err
	}
	d, has, err := timeoutOf(timeout, fnSet, 3)
	if err != nil {
		return 0, false, err
	}
	// The associated object stays on the binding's side; the container
	// only learns of the new timeout. An ID the container no longer holds
	// answers nil, as the draft's set does.
	ok := s.C.SetData(id, nil) == nil
	if ok && has {
		ok = s.C.SetTimeout(id, d) == nil
	}
	return id, ok, nil
}

// Trigger is ev:trigger(id): it reports the ID and whether it named a
// virtual event, now pending (R5).
func (s *Set) Trigger(idv Value) (evchan.ID, bool, error) {
	id, err := checkID(&idv, "trigger", 1)
	if err != nil {
		return 0, false, err
	}
	return id, s.C.Trigger(id), nil
}

// Once is ev:once(context): it returns the ID of a new triggered one-shot
// virtual event. The binding keeps the context, and true as its source.
func (s *Set) Once() (evchan.ID, error) {
	id, err := s.C.Once(nil)
	if err != nil {
		return 0, &ClosedError{Func: "once"}
	}
	return id, nil
}

// Del is ev:del(id): it reports the ID and whether the event existed, in
// which case it is gone and the binding forgets its source and context (R9).
func (s *Set) Del(idv Value) (evchan.ID, bool, error) {
	id, err := checkID(&idv, "del", 1)
	if err != nil {
		return 0, false, err
	}
	ok := s.C.Del(id)
	if ok {
		s.forget(id)
	}
	return id, ok, nil
}

// Stop is ev:stop(): loops in progress end; pending events stay (R10).
func (s *Set) Stop() { s.C.Stop() }

// Clear is ev:clear(): every event is deleted, and the binding forgets every
// source and context (R11).
func (s *Set) Clear() {
	s.C.Clear()
	s.forgetAll()
}

// Close ends the set's loop and closes its container: what the binding does
// when the set is collected or its Lua state closed. The binding forgets
// every source and context. Methods called afterwards behave as on a closed
// container: Add and Once fail with a *ClosedError, the others report nil.
func (s *Set) Close() {
	s.endLoop()
	s.C.Close()
	s.forgetAll()
}

// Call is ev(block), block having been turned into mode by ParseMode: it
// ends the set's current loop, if any, starts a new one that also ends when
// ctx is done, and returns its generation, for Next.
func (s *Set) Call(ctx context.Context, mode evchan.Mode) uint64 {
	if ctx == nil {
		ctx = context.Background()
	}
	// One evchan loop per ev(...) call: NoWait needs the loop's start
	// snapshot (R13). A new call ends the previous loop, as the draft
	// allows ("aborting the loop and creating a new iterator").
	s.endLoop()
	s.loop = s.C.Loop(ctx, mode)
	return s.gen
}

// Next is one call of the iterator of generation gen: it takes the loop's
// next event into e (in place, as evchan.Loop.Next does), or reports false
// when the loop ended (as the draft's iterator returns nil), also when a
// later Call or Close replaced it. An Event with Last is gone from the set
// once delivered (R1, R15): the binding forgets its source and context
// once it has handed them to Lua.
func (s *Set) Next(gen uint64, e *evchan.Event) bool {
	if s.gen != gen || s.loop == nil {
		return false
	}
	if !s.loop.Next(e) {
		s.endLoop()
		return false
	}
	if s.nsigs.Load() > 0 {
		s.count(e.ID)
	}
	if e.Last {
		s.forget(e.ID)
	}
	return true
}

// TriggerAhead is Trigger, made from the body of the set's current loop,
// which also writes to e the event the loop's next Next will take, when
// that is certain already (evchan.Loop.TriggerAhead): sure reports it, and
// gen is the loop's generation. Any other method of the set called before
// that Next voids the answer. It is for a binding whose calls into Go cost
// more than their work (the C module): it hands that event to Lua at once
// and makes the step that takes it at the start of its next call, which,
// when that is this method, took says: took is the generation of the loop
// whose event reported ahead by the previous TriggerAhead was handed on,
// or 0.
func (s *Set) TriggerAhead(took uint64, idv Value, e *evchan.Event) (id evchan.ID, ok bool, gen uint64, sure bool, err error) {
	handed := took != 0 && took == s.gen && s.loop != nil
	id, err = checkID(&idv, "trigger", 1)
	if err != nil {
		if handed {
			s.Next(took, e) // the step it owes, made before the error
		}
		return 0, false, 0, false, err
	}
	if s.loop == nil {
		return id, s.C.Trigger(id), 0, false, nil
	}
	// The step TriggerAhead makes for a handed-on event skips Next's
	// bookkeeping of signal events: the events reported ahead are virtual.
	ok, sure = s.loop.TriggerAhead(handed, id, e)
	return id, ok, s.gen, sure, nil
}

// Looping reports whether generation gen is a loop still in progress.
func (s *Set) Looping(gen uint64) bool { return s.gen == gen && s.loop != nil }

// endLoop ends the set's current loop, if any.
func (s *Set) endLoop() {
	if s.loop != nil {
		s.loop.Close()
	}
	s.loop = nil
	s.gen++
}

// Watching reports whether an event of the set watches sig. It is safe to
// call from any goroutine.
func (s *Set) Watching(sig os.Signal) bool {
	if s.nsigs.Load() == 0 {
		return false
	}
	s.sigMu.Lock()
	defer s.sigMu.Unlock()
	for _, w := range s.sigs {
		if w == sig {
			return true
		}
	}
	return false
}

// Caught returns how many times the set's events watching sig were
// delivered. A binding that watches sig itself tells by it whether a
// signal it got was the one an event just delivered, when Watching no
// longer says so (a one-shot event, gone). It is safe to call from any
// goroutine.
func (s *Set) Caught(sig os.Signal) uint64 {
	if !s.anyCaught.Load() {
		return 0
	}
	s.sigMu.Lock()
	defer s.sigMu.Unlock()
	return s.caught[sig]
}

// count counts a delivery of event id for Caught, if it watches a signal.
func (s *Set) count(id evchan.ID) {
	s.sigMu.Lock()
	defer s.sigMu.Unlock()
	if sig, ok := s.sigs[id]; ok {
		if s.caught == nil {
			s.caught = map[os.Signal]uint64{}
		}
		s.caught[sig]++
		s.anyCaught.Store(true)
	}
}

// forget drops what the set knows of an event that is gone.
func (s *Set) forget(id evchan.ID) {
	if s.nsigs.Load() == 0 {
		return
	}
	s.sigMu.Lock()
	delete(s.sigs, id)
	s.nsigs.Store(int32(len(s.sigs)))
	s.sigMu.Unlock()
}

func (s *Set) forgetAll() {
	s.sigMu.Lock()
	clear(s.sigs)
	s.nsigs.Store(0)
	s.sigMu.Unlock()
}
