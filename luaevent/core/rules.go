package core

// The argument rules: what each argument of the draft's API may be, and the
// Go value it becomes.

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/evchan/evchan/evchan"
)

// Method names, as the messages give them.
const (
	fnNewset = "newset"
	fnAdd    = "add"
	fnSet    = "set"
	fnCall   = "event set call"
)

// CheckNewset checks the argument of event.newset([numobj]): nil or a number,
// accepted and ignored (the revised draft has exactly one context object
// per event).
func CheckNewset(numobj Value) error {
	if numobj.isNil() || numobj.Type == TypeNumber {
		return nil
	}
	return argError(fnNewset, 1, "number expected, got "+numobj.typeName())
}

// checkID returns the event ID that argument n of fname names: a number that
// names no possible event gives 0, which is never valid (R2); a non-number
// is an error.
//
// It takes v by pointer: a Value passed on by value is copied in 16-byte
// loads of the 8-byte stores that spilled it, which the processor cannot
// forward, a stall on every trigger.
func checkID(v *Value, fname string, n int) (evchan.ID, error) {
	if v.Type != TypeNumber {
		return 0, argError(fname, n, "event id (number) expected, got "+v.typeName())
	}
	i, ok := v.integral()
	if !ok || i < 1 {
		return 0, nil
	}
	return evchan.ID(i), nil
}

// seconds converts a Lua number of seconds to a Duration, or reports why it
// cannot.
//
// Its bounds are those sources.Parse puts on a timer's interval, so that a
// script meets one rule for both: any number of seconds a Duration can hold
// is taken, even one reaching past the container's clock (such a timeout
// never passes), while a number no Duration can hold, math.huge among them,
// is refused rather than clamped, since it is more likely a mistake than a
// wish to wait for centuries (R7, R15). It rounds as sources does, so one
// number of seconds gives one Duration, as a timeout or as an interval.
func seconds(v Value) (time.Duration, error) {
	f := v.Number
	switch {
	case math.IsNaN(f):
		return 0, errors.New("NaN seconds")
	case f < 0:
		return 0, fmt.Errorf("negative timeout %s", v.num())
	case f*1e9 >= math.MaxInt64: // float64(MaxInt64) is 2^63, already too long
		return 0, fmt.Errorf("%s seconds is too long", v.num())
	}
	d := time.Duration(math.Round(f * 1e9))
	if d == 0 && f > 0 {
		d = 1
	}
	return d, nil
}

// timeoutOf reads a timeout argument: (0, false) when it is not a number
// (the draft: "a non-numeric timeout value means no timeout").
func timeoutOf(v Value, fname string, n int) (time.Duration, bool, error) {
	if v.Type != TypeNumber {
		return 0, false, nil
	}
	d, err := seconds(v)
	if err != nil {
		return 0, false, argError(fname, n, err.Error())
	}
	return d, true, nil
}

// letter checks an event type argument and returns it with its lowercase
// letter.
func letter(v Value) (string, byte, error) {
	if v.Type != TypeString {
		return "", 0, argError(fnAdd, 1, "event type (string) expected, got "+v.typeName())
	}
	lower := byte(0)
	if len(v.Str) == 1 {
		lower = v.Str[0] | 0x20
	}
	switch lower {
	case 'v', 't', 'r', 'w', 'x', 's', 'h', 'm':
		return strings.Clone(v.Str), lower, nil
	}
	return "", 0, argError(fnAdd, 1, fmt.Sprintf("unknown event type %q", v.Str))
}

// source converts the source of an event of kind lower to what
// sources.Parse takes, or returns the message of a bad argument #2 (or the
// error of the Object's getfd).
func source(lower byte, v Value, obj Object) (any, string, error) {
	switch lower {
	case 'v':
		switch v.Type {
		case TypeNone, TypeNil:
			return nil, "", nil
		case TypeBoolean:
			return v.Bool, "", nil
		}
		return nil, "initial state (nil or boolean) expected, got " + v.typeName(), nil
	case 't':
		// The bounds of sources.Parse, checked here too so that the message
		// speaks of Lua's seconds (see seconds).
		if v.Type == TypeNumber {
			f := v.Number
			if math.IsNaN(f) || f <= 0 {
				return nil, "timer interval must be > 0, got " + v.num(), nil
			}
			if f*1e9 >= math.MaxInt64 {
				return nil, "timer interval " + v.num() + " seconds is too long", nil
			}
			return f, "", nil
		}
		return nil, "timer interval (number of seconds) expected, got " + v.typeName(), nil
	case 'r', 'w', 'x':
		return descriptor(v, obj)
	case 's':
		switch v.Type {
		case TypeString:
			return strings.Clone(v.Str), "", nil
		case TypeNumber:
			i, ok := v.integral()
			if !ok || i < -1<<31 || i > 1<<31 {
				return nil, "no signal has number " + v.num(), nil
			}
			return int(i), "", nil
		}
		return nil, "signal name or number expected, got " + v.typeName(), nil
	case 'h':
		// A Windows handle, as a number: Lua has no other way to hold one.
		if i, ok := v.integral(); ok && i >= 1 && i < 1<<53 {
			return uintptr(i), "", nil
		}
		return nil, "handle (positive integer) expected, got " + v.typeName(), nil
	}
	return nil, "", nil
}

// descriptor returns the fd of an integer, of an object with getfd() (the
// LuaSocket rule), or of a file handle of Lua's io library.
func descriptor(v Value, obj Object) (any, string, error) {
	if (v.Type == TypeTable || v.Type == TypeUserdata) && obj != nil {
		res, found, err := obj.GetFD()
		if err != nil {
			return nil, "", err
		}
		if !found {
			fd, isFile, closed := obj.File()
			switch {
			case isFile && closed:
				return nil, "attempt to use a closed file", nil
			case isFile:
				return fd, "", nil
			}
			return nil, "file descriptor expected, got " + v.typeName() + " without getfd()", nil
		}
		if res.Type != TypeNumber {
			return nil, "getfd() returned " + res.typeName() + ", not a file descriptor", nil
		}
		v = res
	}
	if v.Type != TypeNumber {
		return nil, "file descriptor (integer or object with getfd) expected, got " + v.typeName(), nil
	}
	i, ok := v.integral()
	if !ok || i < 0 || i > math.MaxInt32 {
		return nil, "invalid file descriptor " + v.num(), nil
	}
	return int(i), "", nil
}

// ParseMode returns the Mode of ev(block): true is Block, false NoWait, nil
// (or nothing) Auto and a number of seconds Within; a number of seconds no
// Duration can hold waits for ever, a number <= 0 does not wait.
func ParseMode(block Value) (evchan.Mode, error) {
	switch block.Type {
	case TypeNone, TypeNil:
		return evchan.Auto, nil
	case TypeBoolean:
		if block.Bool {
			return evchan.Block, nil
		}
		return evchan.NoWait, nil
	case TypeNumber:
		f := block.Number
		if math.IsNaN(f) {
			return evchan.Mode{}, argError(fnCall, 1, "block: NaN seconds")
		}
		d := time.Duration(0)
		if f > 0 {
			var err error
			if d, err = seconds(block); err != nil {
				d = time.Duration(math.MaxInt64)
			}
		}
		return evchan.Within(d), nil
	}
	return evchan.Mode{}, argError(fnCall, 1, "block (boolean, number or nil) expected, got "+block.typeName())
}
