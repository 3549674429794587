package luaevent

// The methods of a set: add, set, trigger, once, del, stop and clear.

import (
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// ev:add(type, source, context, timeout) -> id
func setAdd(L *lua.LState) int {
	const fname = "add"
	s := checkSet(L, 1, fname)
	tv, ok := L.Get(2).(lua.LString)
	if !ok {
		argError(L, fname, 1, "event type (string) expected, got "+luaTypeName(L.Get(2)))
		return 0
	}
	letter := string(tv)
	lower := byte(0)
	if len(letter) == 1 {
		lower = letter[0] | 0x20
	}
	switch lower {
	case 'v', 't', 'r', 'w', 'x', 's', 'h', 'm':
	default:
		argError(L, fname, 1, fmt.Sprintf("unknown event type %q", letter))
		return 0
	}
	srcv := L.Get(3)
	goSrc, msg := goSource(L, lower, srcv)
	if msg != "" {
		argError(L, fname, 2, msg)
		return 0
	}
	ctx := L.Get(4)
	timeout, _ := optTimeout(L, 5, fname)
	spec, err := sources.Parse(letter, goSrc)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			argError(L, fname, 1, fmt.Sprintf("event type %q is not supported on this platform", letter))
		}
		argError(L, fname, 2, err.Error())
		return 0
	}
	id, err := s.c.Add(spec, nil, timeout)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			argError(L, fname, 1, fmt.Sprintf("event type %q is not supported on this platform", letter))
		}
		if errors.Is(err, evchan.ErrClosed) {
			L.RaiseError("add: the event set is closed")
		}
		argError(L, fname, 2, err.Error())
		return 0
	}
	s.ctx[id] = ctx
	s.src[id] = srcv
	pushID(L, id)
	return 1
}

func (s *set) forget(id evchan.ID) {
	delete(s.ctx, id)
	delete(s.src, id)
}

// ev:set(id, context, timeout) -> id or nil
func setSet(L *lua.LState) int {
	const fname = "set"
	s := checkSet(L, 1, fname)
	id := checkID(L, 2, fname)
	ctx := L.Get(3)
	timeout, has := optTimeout(L, 4, fname)
	// The associated object stays on the Lua side (s.ctx); the container
	// only learns of the new timeout. An ID the container no longer holds
	// answers nil, as the draft's set does.
	ok := s.c.SetData(id, nil) == nil
	if ok && has {
		ok = s.c.SetTimeout(id, timeout) == nil
	}
	if ok {
		s.ctx[id] = ctx
	}
	return pushIDIf(L, id, ok)
}

// ev:trigger(id) -> id or nil
func setTrigger(L *lua.LState) int {
	const fname = "trigger"
	s := checkSet(L, 1, fname)
	id := checkID(L, 2, fname)
	return pushIDIf(L, id, s.c.Trigger(id))
}

// ev:once(context) -> id
func setOnce(L *lua.LState) int {
	const fname = "once"
	s := checkSet(L, 1, fname)
	ctx := L.Get(2)
	id, err := s.c.Once(nil)
	if err != nil {
		L.RaiseError("once: the event set is closed")
		return 0
	}
	s.ctx[id] = ctx
	s.src[id] = lua.LTrue
	pushID(L, id)
	return 1
}

// ev:del(id) -> id or nil
func setDel(L *lua.LState) int {
	const fname = "del"
	s := checkSet(L, 1, fname)
	id := checkID(L, 2, fname)
	ok := s.c.Del(id)
	if ok {
		s.forget(id)
	}
	return pushIDIf(L, id, ok)
}

// pushIDIf returns id to Lua if ok, else nil: the draft's answer of set,
// trigger and del (R2).
func pushIDIf(L *lua.LState, id evchan.ID, ok bool) int {
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	pushID(L, id)
	return 1
}

// ev:stop()
func setStop(L *lua.LState) int {
	checkSet(L, 1, "stop").c.Stop()
	return 0
}

// ev:clear()
func setClear(L *lua.LState) int {
	const fname = "clear"
	s := checkSet(L, 1, fname)
	s.c.Clear()
	clear(s.ctx)
	clear(s.src)
	return 0
}
