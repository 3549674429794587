package luaevent

// Calling a set, ev(block): the draft's iterator over fired events.

import (
	"context"
	"iter"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
)

// endIter stops the set's current iterator, if any.
func (s *set) endIter() {
	if s.stop != nil {
		s.stop()
	}
	s.next, s.stop = nil, nil
	s.gen++
}

// ev(block) -> iterator, ev, nil
func setCall(L *lua.LState) int {
	const fname = "event set call"
	s := checkSet(L, 1, fname)
	var mode evchan.Mode
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
		mode = evchan.Auto
	case lua.LBool:
		mode = evchan.NoWait
		if v {
			mode = evchan.Block
		}
	case lua.LNumber:
		if math.IsNaN(float64(v)) {
			argError(L, fname, 1, "block: NaN seconds")
		}
		d := time.Duration(0)
		if float64(v) > 0 {
			var err error
			if d, err = seconds(v); err != nil {
				d = time.Duration(math.MaxInt64)
			}
		}
		mode = evchan.Within(d)
	default:
		argError(L, fname, 1, "block (boolean, number or nil) expected, got "+luaTypeName(L.Get(2)))
		return 0
	}
	ctx := L.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	// One evchan loop per ev(...) call: NoWait needs the loop's start
	// snapshot (R13). A new call ends the previous loop, as the draft
	// allows ("aborting the loop and creating a new iterator").
	s.endIter()
	s.next, s.stop = iter.Pull(s.c.AllContext(ctx, mode))
	gen := s.gen
	L.Push(L.NewFunction(func(L *lua.LState) int {
		if s.gen != gen || s.next == nil {
			L.Push(lua.LNil)
			return 1
		}
		e, ok := s.next()
		if !ok {
			s.endIter()
			L.Push(lua.LNil)
			return 1
		}
		ctx, src := s.ctx[e.ID], s.src[e.ID]
		if ctx == nil {
			ctx = lua.LNil
		}
		if src == nil {
			src = lua.LNil
		}
		if e.Last {
			s.forget(e.ID) // R1, R15: a one-shot or failed event is gone once delivered
		}
		pushID(L, e.ID)
		L.Push(lua.LString(e.Reason.String()))
		L.Push(src)
		L.Push(ctx)
		return 4
	}))
	L.Push(L.Get(1))
	L.Push(lua.LNil)
	return 3
}
