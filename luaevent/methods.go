package luaevent

// The methods of a set: add, set, trigger, once, del, stop and clear. The
// rules are package core's; what stays here is keeping the Lua values.

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
)

// ev:add(type, source, context, timeout) -> id
func setAdd(L *lua.LState) int {
	s := checkSet(L, 1, "add")
	srcv := L.Get(3)
	id, err := s.core.Add(arg(L, 2), value(srcv), arg(L, 5), objectOf(L, srcv))
	if err != nil {
		raise(L, err)
		return 0
	}
	s.ctx[id] = L.Get(4)
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
	s := checkSet(L, 1, "set")
	id, ok, err := s.core.Set(arg(L, 2), arg(L, 4))
	if err != nil {
		raise(L, err)
		return 0
	}
	if ok {
		s.ctx[id] = L.Get(3)
	}
	return pushIDIf(L, id, ok)
}

// ev:trigger(id) -> id or nil
func setTrigger(L *lua.LState) int {
	s := checkSet(L, 1, "trigger")
	id, ok, err := s.core.Trigger(arg(L, 2))
	if err != nil {
		raise(L, err)
		return 0
	}
	return pushIDIf(L, id, ok)
}

// ev:once(context) -> id
func setOnce(L *lua.LState) int {
	s := checkSet(L, 1, "once")
	id, err := s.core.Once()
	if err != nil {
		raise(L, err)
		return 0
	}
	s.ctx[id] = L.Get(2)
	s.src[id] = lua.LTrue
	pushID(L, id)
	return 1
}

// ev:del(id) -> id or nil
func setDel(L *lua.LState) int {
	s := checkSet(L, 1, "del")
	id, ok, err := s.core.Del(arg(L, 2))
	if err != nil {
		raise(L, err)
		return 0
	}
	if ok {
		s.forget(id)
	}
	return pushIDIf(L, id, ok)
}

// ev:stop()
func setStop(L *lua.LState) int {
	checkSet(L, 1, "stop").core.Stop()
	return 0
}

// ev:clear()
func setClear(L *lua.LState) int {
	s := checkSet(L, 1, "clear")
	s.core.Clear()
	clear(s.ctx)
	clear(s.src)
	return 0
}
