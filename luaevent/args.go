package luaevent

// Arguments: checking what Lua code passes, and turning it into Go values,
// with Lua-style errors ("bad argument #n to 'f'") that disturb nothing.

import (
	"errors"
	"fmt"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
)

// checkSet returns the set at argument n or raises a Lua error.
func checkSet(L *lua.LState, n int, fname string) *set {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if s, ok := ud.Value.(*set); ok {
			return s
		}
	}
	L.RaiseError("calling '%s' on bad self (event set expected, got %s)", fname, luaTypeName(L.Get(n)))
	return nil
}

// argError raises the Lua error of a bad argument, numbered as Lua counts
// the arguments of a method (self not counted).
func argError(L *lua.LState, fname string, n int, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fname, msg)
}

func luaTypeName(v lua.LValue) string {
	if v.Type() == lua.LTNil {
		return "no value"
	}
	return v.Type().String()
}

// checkID returns the ID at argument n: a number that names no possible
// event gives 0 (never valid, R2); a non-number raises a Lua error.
func checkID(L *lua.LState, n int, fname string) evchan.ID {
	v, ok := L.Get(n).(lua.LNumber)
	if !ok {
		argError(L, fname, n-1, "event id (number) expected, got "+luaTypeName(L.Get(n)))
		return 0
	}
	f := float64(v)
	if f < 1 || f > 1<<53 || f != math.Trunc(f) {
		return 0
	}
	return evchan.ID(f)
}

func pushID(L *lua.LState, id evchan.ID) { L.Push(lua.LNumber(float64(id))) }

// seconds converts a Lua number of seconds to a Duration, or reports why
// it cannot.
//
// Its bounds are those sources.Parse puts on a timer's interval, so that a
// script meets one rule for both: any number of seconds a Duration can hold
// is taken, even one reaching past the container's clock (such a timeout
// never passes), while a number no Duration can hold, math.huge among them,
// is refused rather than clamped, since it is more likely a mistake than a
// wish to wait for centuries (R7, R15). It rounds as sources does, so one
// number of seconds gives one Duration, as a timeout or as an interval.
func seconds(v lua.LNumber) (time.Duration, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return 0, errors.New("NaN seconds")
	case f < 0:
		return 0, fmt.Errorf("negative timeout %v", f)
	case f*1e9 >= math.MaxInt64: // float64(MaxInt64) is 2^63, already too long
		return 0, fmt.Errorf("%v seconds is too long", f)
	}
	d := time.Duration(math.Round(f * 1e9))
	if d == 0 && f > 0 {
		d = 1
	}
	return d, nil
}

// optTimeout reads the timeout at argument n: (0, false) when it is not a
// number (the draft: "a non-numeric timeout value means no timeout").
func optTimeout(L *lua.LState, n int, fname string) (time.Duration, bool) {
	v, ok := L.Get(n).(lua.LNumber)
	if !ok {
		return 0, false
	}
	d, err := seconds(v)
	if err != nil {
		argError(L, fname, n-1, err.Error())
	}
	return d, true
}

// goSource converts the Lua source of an event to what sources.Parse takes.
func goSource(L *lua.LState, lower byte, v lua.LValue) (any, string) {
	switch lower {
	case 'v':
		switch v := v.(type) {
		case *lua.LNilType:
			return nil, ""
		case lua.LBool:
			return bool(v), ""
		}
		return nil, "initial state (nil or boolean) expected, got " + luaTypeName(v)
	case 't':
		// The bounds of sources.Parse, checked here too so that the message
		// speaks of Lua's seconds (see seconds).
		if n, ok := v.(lua.LNumber); ok {
			f := float64(n)
			if math.IsNaN(f) || f <= 0 {
				return nil, fmt.Sprintf("timer interval must be > 0, got %v", f)
			}
			if f*1e9 >= math.MaxInt64 {
				return nil, fmt.Sprintf("timer interval %v seconds is too long", f)
			}
			return f, ""
		}
		return nil, "timer interval (number of seconds) expected, got " + luaTypeName(v)
	case 'r', 'w', 'x':
		return descriptor(L, v)
	case 's':
		switch v := v.(type) {
		case lua.LString:
			return string(v), ""
		case lua.LNumber:
			f := float64(v)
			if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
				return nil, fmt.Sprintf("no signal has number %v", f)
			}
			return int(f), ""
		}
		return nil, "signal name or number expected, got " + luaTypeName(v)
	case 'h':
		// A Windows handle, as a number: Lua has no other way to hold one.
		if n, ok := v.(lua.LNumber); ok {
			f := float64(n)
			if f >= 1 && f == math.Trunc(f) && f < 1<<53 {
				return uintptr(f), ""
			}
		}
		return nil, "handle (positive integer) expected, got " + luaTypeName(v)
	}
	return nil, ""
}

// descriptor returns the fd of an integer or of an object with getfd().
func descriptor(L *lua.LState, v lua.LValue) (any, string) {
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		getfd := L.GetField(v, "getfd")
		if getfd.Type() != lua.LTFunction {
			return nil, "file descriptor expected, got " + luaTypeName(v) + " without getfd()"
		}
		L.Push(getfd)
		L.Push(v)
		L.Call(1, 1)
		v = L.Get(-1)
		L.Pop(1)
		if _, ok := v.(lua.LNumber); !ok {
			return nil, "getfd() returned " + luaTypeName(v) + ", not a file descriptor"
		}
	}
	n, ok := v.(lua.LNumber)
	if !ok {
		return nil, "file descriptor (integer or object with getfd) expected, got " + luaTypeName(v)
	}
	f := float64(n)
	if f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
		return nil, fmt.Sprintf("invalid file descriptor %v", f)
	}
	return int(f), ""
}
