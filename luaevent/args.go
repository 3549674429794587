package luaevent

// Arguments: gopher-lua's values as package core's rules see them, and the
// errors of those rules raised as Lua errors.

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/luaevent/core"
)

// value returns v as the core's rules see it. gopher-lua, a Lua 5.1, has
// no integer subtype: every number is a float.
func value(v lua.LValue) core.Value {
	switch v := v.(type) {
	case *lua.LNilType:
		return core.Nil
	case lua.LBool:
		return core.Boolean(bool(v))
	case lua.LNumber:
		return core.Float(float64(v))
	case lua.LString:
		return core.String(string(v))
	case *lua.LTable:
		return core.Of(core.TypeTable)
	case *lua.LFunction:
		return core.Of(core.TypeFunction)
	case *lua.LUserData:
		return core.Of(core.TypeUserdata)
	case *lua.LState:
		return core.Of(core.TypeThread)
	}
	return core.Value{Type: core.TypeOther, Name: v.Type().String()}
}

// arg returns argument n of the call (self being 1).
func arg(L *lua.LState, n int) core.Value { return value(L.Get(n)) }

// object is a table or userdata argument, for the core's descriptor rule.
type object struct {
	L *lua.LState
	v lua.LValue
}

// objectOf returns the Object of v when v is a table or a userdata.
func objectOf(L *lua.LState, v lua.LValue) core.Object {
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		return object{L, v}
	}
	return nil
}

// GetFD calls v:getfd(). An error it raises propagates as the Lua error it
// is, gopher-lua raising with a Go panic.
func (o object) GetFD() (core.Value, bool, error) {
	getfd := o.L.GetField(o.v, "getfd")
	if getfd.Type() != lua.LTFunction {
		return core.Value{}, false, nil
	}
	o.L.Push(getfd)
	o.L.Push(o.v)
	o.L.Call(1, 1)
	r := o.L.Get(-1)
	o.L.Pop(1)
	return value(r), true, nil
}

// File reports no file: gopher-lua's io library keeps its files' descriptors
// to itself.
func (o object) File() (int, bool, bool) { return 0, false, false }

// raise raises err, a core error, as a Lua error.
func raise(L *lua.LState, err error) {
	L.RaiseError("%s", err.Error())
}

// checkSet returns the set at argument n or raises a Lua error.
func checkSet(L *lua.LState, n int, fname string) *set {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if s, ok := ud.Value.(*set); ok {
			return s
		}
	}
	raise(L, core.BadSelf(fname, arg(L, n)))
	return nil
}

func pushID(L *lua.LState, id evchan.ID) { L.Push(lua.LNumber(float64(id))) }

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
