package luaevent

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

const (
	setTypeName = "event.set"
	moduleKey   = "github.com/evchan/evchan/luaevent"
)

// module is the state of the event module in one Lua state.
type module struct {
	sets []*set
}

// set is the Go side of one event container.
type set struct {
	c       *evchan.Container
	ctx     map[evchan.ID]lua.LValue // context objects, as given
	src     map[evchan.ID]lua.LValue // sources, as given
	persist map[evchan.ID]bool
	gen     uint64 // the current iterator's generation
	next    func() (evchan.Event, bool)
	stop    func()
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
		s.endIter()
		s.c.Close()
		clear(s.ctx)
		clear(s.src)
		clear(s.persist)
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
		if v := L.Get(1); v != lua.LNil && v.Type() != lua.LTNumber {
			argError(L, "newset", 1, "number expected, got "+v.Type().String())
		}
		s := &set{
			c:       evchan.New(),
			ctx:     map[evchan.ID]lua.LValue{},
			src:     map[evchan.ID]lua.LValue{},
			persist: map[evchan.ID]bool{},
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
func seconds(v lua.LNumber) (time.Duration, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return 0, errors.New("NaN seconds")
	case f < 0:
		return 0, fmt.Errorf("negative timeout %v", f)
	case f*1e9 >= math.MaxInt64:
		return 0, fmt.Errorf("%v seconds is too long", f)
	}
	d := time.Duration(f * 1e9)
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
	s.persist[id] = spec.IsPersistent()
	pushID(L, id)
	return 1
}

func (s *set) forget(id evchan.ID) {
	delete(s.ctx, id)
	delete(s.src, id)
	delete(s.persist, id)
}

// ev:set(id, context, timeout) -> id or nil
func setSet(L *lua.LState) int {
	const fname = "set"
	s := checkSet(L, 1, fname)
	id := checkID(L, 2, fname)
	ctx := L.Get(3)
	timeout, has := optTimeout(L, 4, fname)
	var ok bool
	if has {
		ok = s.c.Set(id, nil, timeout)
	} else {
		ok = s.c.Set(id, nil)
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
	s.persist[id] = false
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
	clear(s.persist)
	return 0
}

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
		if !s.persist[e.ID] || e.Err != nil {
			s.forget(e.ID) // R1: a one-shot event is gone once delivered
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
