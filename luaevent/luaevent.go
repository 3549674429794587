package luaevent

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/luaevent/core"
)

const (
	setTypeName = "event.set"
	moduleKey   = "github.com/evchan/evchan/luaevent"
)

// module is the state of the event module in one Lua state.
type module struct {
	sets []*set
}

// set is the Go side of one event set: the core's set, with the Lua values
// it leaves to the binding.
type set struct {
	core *core.Set
	c    *evchan.Container        // core.C
	ctx  map[evchan.ID]lua.LValue // context objects, as given
	src  map[evchan.ID]lua.LValue // sources, as given
}

// Preload registers the "event" module in L, so that require("event")
// loads it. Call Close(L) before L.Close to release the containers the
// scripts created.
func Preload(L *lua.LState) {
	m := &module{}
	ud := L.NewUserData()
	ud.Value = m
	L.G.Registry.RawSetString(moduleKey, ud)
	L.PreloadModule("event", m.loader)
}

// Close closes every container created through the event module of L and
// ends their iterators. Sets used afterwards behave as closed containers:
// add raises an error, the other methods return nil.
func Close(L *lua.LState) {
	ud, ok := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData)
	if !ok {
		return
	}
	m, ok := ud.Value.(*module)
	if !ok {
		return
	}
	for _, s := range m.sets {
		s.core.Close()
		clear(s.ctx)
		clear(s.src)
	}
	m.sets = nil
}

func (m *module) loader(L *lua.LState) int {
	mt := L.NewTypeMetatable(setTypeName)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"add":     setAdd,
		"set":     setSet,
		"trigger": setTrigger,
		"once":    setOnce,
		"del":     setDel,
		"stop":    setStop,
		"clear":   setClear,
	})
	L.SetField(mt, "__index", methods)
	L.SetField(mt, "__call", L.NewFunction(setCall))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("event set: %p", checkSet(L, 1, "tostring"))))
		return 1
	}))
	L.SetField(mt, "__metatable", lua.LString("event set"))

	mod := L.NewTable()
	L.SetField(mod, "newset", L.NewFunction(func(L *lua.LState) int {
		if err := core.CheckNewset(arg(L, 1)); err != nil {
			raise(L, err)
		}
		cs := core.NewSet()
		s := &set{
			core: cs,
			c:    cs.C,
			ctx:  map[evchan.ID]lua.LValue{},
			src:  map[evchan.ID]lua.LValue{},
		}
		m.sets = append(m.sets, s)
		ud := L.NewUserData()
		ud.Value = s
		L.SetMetatable(ud, L.GetTypeMetatable(setTypeName))
		L.Push(ud)
		return 1
	}))
	L.Push(mod)
	return 1
}
