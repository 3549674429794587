package luaevent

// Calling a set, ev(block): the draft's iterator over fired events.

import (
	"context"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/luaevent/core"
)

// ev(block) -> iterator, ev, nil
func setCall(L *lua.LState) int {
	s := checkSet(L, 1, "event set call")
	mode, err := core.ParseMode(arg(L, 2))
	if err != nil {
		raise(L, err)
		return 0
	}
	ctx := L.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	gen := s.core.Call(ctx, mode)
	L.Push(L.NewFunction(func(L *lua.LState) int {
		var e evchan.Event
		if !s.core.Next(gen, &e) {
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
