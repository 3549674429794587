package core

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Type is the type of a Lua value, as the binding reports it.
type Type uint8

// The Lua types. TypeNone is an argument that was not passed; the rules
// treat it as nil. TypeOther is anything a Lua has besides (gopher-lua's
// channels): the binding gives its name in Value.Name.
const (
	TypeNone Type = iota
	TypeNil
	TypeBoolean
	TypeNumber
	TypeString
	TypeTable
	TypeFunction
	TypeUserdata
	TypeThread
	TypeLightUserdata
	TypeOther
)

var typeNames = [...]string{
	TypeNone:          "no value",
	TypeNil:           "nil",
	TypeBoolean:       "boolean",
	TypeNumber:        "number",
	TypeString:        "string",
	TypeTable:         "table",
	TypeFunction:      "function",
	TypeUserdata:      "userdata",
	TypeThread:        "thread",
	TypeLightUserdata: "userdata",
	TypeOther:         "other",
}

// String returns the type's name as Lua's type() gives it ("no value" for
// TypeNone).
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type " + strconv.Itoa(int(t))
}

// Value is one Lua value as the rules see it. Only the fields of its type
// are read: Number (and Int when IsInt, the integer subtype of Lua 5.3 and
// later) for TypeNumber, Str for TypeString, Bool for TypeBoolean, Name for
// TypeOther. The zero Value is an argument not passed.
//
// Str is only read during the call it is passed to, so a binding may pass
// a string that Lua owns without copying it.
type Value struct {
	Type   Type
	Bool   bool
	Number float64
	Int    int64
	IsInt  bool
	Str    string
	Name   string
}

// Nil is the Value of nil.
var Nil = Value{Type: TypeNil}

// Float returns the Value of a Lua number without the integer subtype
// (gopher-lua's, LuaJIT's, or a Lua 5.4 float).
func Float(f float64) (v Value) {
	v.SetFloat(f)
	return v
}

// Integer returns the Value of a Lua 5.3+ integer.
func Integer(i int64) (v Value) {
	v.SetInteger(i)
	return v
}

// SetFloat makes v Float(f), in place. A binding converting arguments at
// every call writes them in place: a Value returned by a call is spilled
// in 8-byte stores and copied on in 16-byte loads, which the processor
// cannot forward.
func (v *Value) SetFloat(f float64) { *v = Value{Type: TypeNumber, Number: f} }

// SetInteger makes v Integer(i), in place (see SetFloat).
func (v *Value) SetInteger(i int64) {
	*v = Value{Type: TypeNumber, Number: float64(i), Int: i, IsInt: true}
}

// String returns the Value of a Lua string.
func String(s string) Value { return Value{Type: TypeString, Str: s} }

// Boolean returns the Value of a Lua boolean.
func Boolean(b bool) Value { return Value{Type: TypeBoolean, Bool: b} }

// Of returns a Value of type t that the rules only need the type of: a table,
// a function, a userdata...
func Of(t Type) Value { return Value{Type: t} }

// isNil reports whether v is nil or not passed.
func (v Value) isNil() bool { return v.Type == TypeNone || v.Type == TypeNil }

// typeName is the name of v's type in messages: as luaevent always wrote
// it, a nil argument is "no value", whether passed or not.
func (v Value) typeName() string {
	switch v.Type {
	case TypeNone, TypeNil:
		return "no value"
	case TypeOther:
		if v.Name != "" {
			return v.Name
		}
	}
	return v.Type.String()
}

// num formats a number for a message: an integer as one, a float as Go's %v.
func (v Value) num() string {
	if v.IsInt {
		return strconv.FormatInt(v.Int, 10)
	}
	return fmt.Sprint(v.Number)
}

// integral reports v's value as an integer if it is a number with an
// integral value within ±2^53 (exact in a float64, so the same in every
// Lua), else false.
func (v *Value) integral() (int64, bool) {
	if v.Type != TypeNumber {
		return 0, false
	}
	if v.IsInt {
		if v.Int < -1<<53 || v.Int > 1<<53 {
			return 0, false
		}
		return v.Int, true
	}
	f := v.Number
	if f != math.Trunc(f) || f < -1<<53 || f > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// Object is what only the interpreter can tell of a table or userdata
// argument. Its methods are called during the call the Object is given to,
// at most once each, and only when the rules need them.
type Object interface {
	// GetFD looks up the value's getfd field as Lua's indexing would
	// (metatables included) and, if it is a function, calls it with the
	// value and returns its first result (found true). found is false when
	// there is no such function. An error raised by the lookup or the call is
	// returned as err; the core returns it unchanged.
	GetFD() (result Value, found bool, err error)
	// File reports whether the value is a file handle of Lua's io library,
	// and if so its descriptor, or closed true if the file was closed.
	File() (fd int, isFile, closed bool)
}

// ErrClosed is the error of add and once on a set that was closed.
var ErrClosed = errors.New("the event set is closed")

// An ArgError is a bad argument: "bad argument #N to 'Func' (Msg)", N
// counting the arguments of a method call without self, as Lua does.
type ArgError struct {
	Func string
	N    int
	Msg  string
}

// Error returns the message Lua shows.
func (e *ArgError) Error() string {
	return fmt.Sprintf("bad argument #%d to '%s' (%s)", e.N, e.Func, e.Msg)
}

// A SelfError is a method called on something other than an event set.
type SelfError struct {
	Func string
	Got  string // the type name of what it was called on
}

// Error returns the message Lua shows.
func (e *SelfError) Error() string {
	return fmt.Sprintf("calling '%s' on bad self (event set expected, got %s)", e.Func, e.Got)
}

// BadSelf returns the error of method fname called on self, which is not an
// event set. Bindings check self themselves (it is their userdata) and call
// this for the message.
func BadSelf(fname string, self Value) error {
	return &SelfError{Func: fname, Got: self.typeName()}
}

// A ClosedError is add or once called on a closed set: "f: the event set is
// closed". It wraps ErrClosed.
type ClosedError struct{ Func string }

// Error returns the message Lua shows.
func (e *ClosedError) Error() string { return e.Func + ": " + ErrClosed.Error() }

// Unwrap returns ErrClosed.
func (e *ClosedError) Unwrap() error { return ErrClosed }

func argError(fname string, n int, msg string) error {
	return &ArgError{Func: fname, N: n, Msg: msg}
}
