package main

// The functions event.c calls: one per method of a set, each taking the
// arguments as event.c described them and reporting a status (evlua.h).
// The rules are package core's.

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include "evlua.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/luaevent/core"
)

// val returns an argument as the core's rules see it. A string is Lua's own
// bytes, valid during the call only, as the core allows.
func val(v *C.ev_val) core.Value {
	switch v._type {
	case C.EV_TNUMBER:
		if v.isint != 0 {
			return core.Integer(int64(v.i))
		}
		return core.Float(float64(v.n))
	case C.EV_TSTRING:
		return core.String(unsafe.String((*byte)(unsafe.Pointer(v.s)), int(v.len)))
	case C.EV_TBOOLEAN:
		return core.Boolean(v.b != 0)
	case C.EV_TOTHER:
		return core.Value{Type: core.TypeOther, Name: C.GoStringN(v.s, C.int(v.len))}
	}
	return core.Of(core.Type(v._type))
}

// valInto is val writing in place, for the argument of the call made at
// every round trip, an event ID: a number is set field by field (see
// core.Value.SetInteger), anything else as val returns it.
func valInto(v *C.ev_val, out *core.Value) {
	switch {
	case v._type == C.EV_TNUMBER && v.isint != 0:
		out.SetInteger(int64(v.i))
	case v._type == C.EV_TNUMBER:
		out.SetFloat(float64(v.n))
	default:
		*out = val(v)
	}
}

// errRethrow says that a Lua error is on top of the stack, to be raised
// again: getfd() raised it.
var errRethrow = errors.New("rethrow the Lua error")

// fail reports err to event.c, which raises it.
func fail(c *C.ev_call, err error) C.int {
	if err == errRethrow {
		return C.EV_RETHROW
	}
	return failMsg(c, err.Error())
}

// failMsg reports an error message to event.c, which raises it.
func failMsg(c *C.ev_call, msg string) C.int {
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&c.msg[0])), C.EV_MSGLEN)
	n := copy(buf[:C.EV_MSGLEN-1], msg)
	buf[n] = 0
	return C.EV_ERR
}

// idResult returns id, or nil if !ok.
func idResult(c *C.ev_call, id evchan.ID, ok bool) C.int {
	if !ok {
		return C.EV_NIL
	}
	c.id = C.longlong(id)
	return C.EV_ID
}

// coreOf returns the core set of handle h: closedSet for a closed set.
func coreOf(h C.uint32_t) *core.Set {
	if s := lookup(uint32(h)); s != nil {
		return s.core
	}
	return closedSet
}

// object is the source argument of add, for the core's descriptor rule.
type object struct{ c *C.ev_call }

func (o object) GetFD() (core.Value, bool, error) {
	var found C.int
	var out C.ev_val
	if C.ev_getfd(o.c.L, o.c.fnidx, o.c.srcidx, &found, &out) != 0 {
		return core.Value{}, false, errRethrow
	}
	if found == 0 {
		return core.Value{}, false, nil
	}
	return val(&out), true, nil
}

func (o object) File() (int, bool, bool) {
	return int(o.c.filefd), o.c.isfile != 0, o.c.fileclosed != 0
}

//export evgo_reason
func evgo_reason(r C.int, buf *C.char, n C.int) C.int {
	name := evchan.Reason(r).String()
	if strings.HasPrefix(name, "Reason(") || int(n) <= len(name) {
		return 0
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	b[copy(b, name)] = 0
	return 1
}

//export evgo_badself
func evgo_badself(fname *C.char, c *C.ev_call) {
	fail(c, core.BadSelf(C.GoString(fname), val(&c.a[0])))
}

//export evgo_newset
func evgo_newset(c *C.ev_call) C.int {
	if err := core.CheckNewset(val(&c.a[0])); err != nil {
		return fail(c, err)
	}
	s := &cset{core: core.NewSet()}
	if !register(s) {
		s.core.Close()
		return fail(c, errors.New("newset: too many event sets"))
	}
	c.id = C.longlong(s.h)
	return C.EV_ID
}

// takeOwed makes the step the set owes (event.c, evset): the loop's Next,
// which takes the event the iterator has handed to Lua already, reported
// ahead by the trigger before. Every call for a set makes it first. It
// reports false, with the error in c, if the step took another event,
// which evchan's Loop.Ahead rules out.
func takeOwed(h C.uint32_t, c *C.ev_call) bool {
	if c.owed == 0 {
		return true
	}
	s := lookup(uint32(h))
	if s == nil {
		return true
	}
	var e evchan.Event
	if !s.core.Next(uint64(c.owed_gen), &e) || e.ID != evchan.ID(c.owed_id) {
		failMsg(c, fmt.Sprintf("internal error: the step after event %d took %v", int64(c.owed_id), e))
		return false
	}
	return true
}

//export evgo_add
func evgo_add(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	var obj core.Object
	if c.fnidx != 0 {
		obj = object{c}
	}
	id, err := coreOf(h).Add(val(&c.a[0]), val(&c.a[1]), val(&c.a[2]), obj)
	if err != nil {
		return fail(c, err)
	}
	return idResult(c, id, true)
}

//export evgo_set
func evgo_set(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	id, ok, err := coreOf(h).Set(val(&c.a[0]), val(&c.a[1]))
	if err != nil {
		return fail(c, err)
	}
	return idResult(c, id, ok)
}

//export evgo_trigger
func evgo_trigger(h C.uint32_t, c *C.ev_call) C.int {
	s := lookup(uint32(h))
	if s == nil { // closed: nothing is owed any more
		id, ok, err := closedSet.Trigger(val(&c.a[0]))
		if err != nil {
			return fail(c, err)
		}
		return idResult(c, id, ok)
	}
	// event.c is also told the event the set's loop will take next, if
	// there is a loop and that is certain already; the iterator takes it
	// from there when called on this thread, not nested in another call.
	// The step owed for the event the iterator handed on is made by
	// TriggerAhead, under the same lock as the trigger.
	var took uint64
	if c.owed != 0 {
		took = uint64(c.owed_gen)
	}
	var e evchan.Event
	var idv core.Value
	valInto(&c.a[0], &idv)
	id, ok, gen, sure, err := s.core.TriggerAhead(took, idv, &e)
	if err != nil {
		return fail(c, err)
	}
	if sure {
		c.ahead, c.ahead_id, c.gen = 1, C.longlong(e.ID), C.ulonglong(gen)
		c.reason, c.last = C.int(e.Reason), 0
		if e.Last {
			c.last = 1
		}
	}
	return idResult(c, id, ok)
}

//export evgo_once
func evgo_once(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	id, err := coreOf(h).Once()
	if err != nil {
		return fail(c, err)
	}
	return idResult(c, id, true)
}

//export evgo_del
func evgo_del(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	id, ok, err := coreOf(h).Del(val(&c.a[0]))
	if err != nil {
		return fail(c, err)
	}
	return idResult(c, id, ok)
}

//export evgo_stop
func evgo_stop(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	coreOf(h).Stop()
	return C.EV_NIL
}

//export evgo_clear
func evgo_clear(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	coreOf(h).Clear()
	return C.EV_NIL
}

// releaseGuard ends the SIGINT watch of the current loop of s, which is
// ending.
func (s *cset) releaseGuard() {
	if s.guard != nil {
		s.guard.release()
		s.guard = nil
	}
}

//export evgo_call
func evgo_call(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	mode, err := core.ParseMode(val(&c.a[0]))
	if err != nil {
		return fail(c, err)
	}
	s := lookup(uint32(h))
	if s == nil {
		c.gen = 0 // no loop: the iterator returns nil
		return C.EV_NIL
	}
	s.releaseGuard()
	if mode != evchan.NoWait {
		s.guard = newGuard(s, int64(c.thread))
	}
	c.gen = C.ulonglong(s.core.Call(context.Background(), mode))
	return C.EV_NIL
}

//export evgo_next
func evgo_next(h C.uint32_t, c *C.ev_call) C.int {
	if !takeOwed(h, c) {
		return C.EV_ERR
	}
	s := lookup(uint32(h))
	gen := uint64(c.gen)
	if s == nil || !s.core.Looping(gen) {
		return C.EV_NIL
	}
	g := s.guard
	if g != nil {
		g.enter(int64(c.thread))
	}
	var e evchan.Event
	ok := s.core.Next(gen, &e)
	if g != nil {
		g.leave()
	}
	if !ok {
		stopped := g != nil && g.interrupted.Load()
		if g != nil {
			g.release()
			s.guard = nil
		}
		if stopped {
			return failMsg(c, interrupted)
		}
		return C.EV_NIL
	}
	c.id = C.longlong(e.ID)
	c.reason = C.int(e.Reason)
	c.last = 0
	if e.Last {
		c.last = 1
	}
	return C.EV_EVENT
}

//export evgo_close
func evgo_close(h C.uint32_t, c *C.ev_call) {
	takeOwed(h, c) // closing, it takes what it may: an error has nowhere to go
	s := lookup(uint32(h))
	if s == nil {
		return
	}
	s.releaseGuard()
	s.core.Close()
	unregister(s)
}
