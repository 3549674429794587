package sources

import (
	"fmt"
	"math"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// parseVirtual takes the draft's source of a virtual event: its initial
// state, where nil (the draft's first form) means not triggered (R5).
func parseVirtual(source any) (evchan.Spec, error) {
	switch s := source.(type) {
	case nil:
		return evchan.Virtual(false), nil
	case bool:
		return evchan.Virtual(s), nil
	}
	return evchan.Spec{}, invalidf("the source must be nil or a bool, not %T", source)
}

// parseTimer takes the draft's source of a timer: an interval in seconds,
// fractions allowed, or a time.Duration as Go code would give it (R6).
func parseTimer(source any) (evchan.Spec, error) {
	d, err := interval(source)
	if err != nil {
		return evchan.Spec{}, err
	}
	return evchan.Timer(d), nil
}

// interval converts a time.Duration or a number of seconds to a positive
// Duration. A positive number of seconds too small for a nanosecond becomes
// one nanosecond rather than an error, since the caller asked for a timer
// that has an interval.
//
// Every positive Duration is accepted, however far its deadline: the
// container saturates what lies past its clock, so such a timer never fires
// and time.Duration(math.MaxInt64) is how to ask for that. A number of
// seconds no Duration can hold is refused rather than clamped, since it is
// more likely a mistake of unit than a wish to wait for centuries, and
// clamping would quietly give a timer other than the one written. The
// luaevent binding applies the same bounds to Lua's numbers (R6, R15).
func interval(source any) (time.Duration, error) {
	var seconds float64
	switch s := source.(type) {
	case time.Duration:
		if s <= 0 {
			return 0, notPositive(source)
		}
		return s, nil
	case float64:
		seconds = s
	case float32:
		seconds = float64(s)
	case int:
		return wholeSeconds(int64(s), source)
	case int8:
		return wholeSeconds(int64(s), source)
	case int16:
		return wholeSeconds(int64(s), source)
	case int32:
		return wholeSeconds(int64(s), source)
	case int64:
		return wholeSeconds(s, source)
	case uint:
		return wholeSeconds(clampToInt64(uint64(s)), source)
	case uint8:
		return wholeSeconds(int64(s), source)
	case uint16:
		return wholeSeconds(int64(s), source)
	case uint32:
		return wholeSeconds(int64(s), source)
	case uint64:
		return wholeSeconds(clampToInt64(s), source)
	default:
		return 0, invalidf("the interval must be a time.Duration or a number of seconds, not %T", source)
	}
	if math.IsNaN(seconds) {
		return 0, invalidf("the interval must be a number of seconds, not %v", source)
	}
	if seconds <= 0 {
		return 0, notPositive(source)
	}
	// The product is rounded once, to a float64, which near 2^63 is a whole
	// number of nanoseconds. No float64 number of seconds has an exact
	// product in the 512 ns below 2^63 that this rounding carries to 2^63
	// (huge_test.go checks the two neighbours of the limit), so this refuses
	// exactly the numbers of seconds whose nearest Duration is past
	// MaxInt64, and +Inf with them.
	ns := math.Round(seconds * float64(time.Second))
	if ns >= math.MaxInt64 { // float64(MaxInt64) rounds up to 2^63, out of range
		return 0, tooLong(source)
	}
	return max(time.Duration(ns), 1), nil
}

// wholeSeconds converts an integer number of seconds, refusing what a
// Duration cannot hold rather than letting it wrap around.
func wholeSeconds(seconds int64, source any) (time.Duration, error) {
	if seconds <= 0 {
		return 0, notPositive(source)
	}
	if seconds > int64(math.MaxInt64/time.Second) {
		return 0, tooLong(source)
	}
	return time.Duration(seconds) * time.Second, nil
}

// clampToInt64 keeps an unsigned count of seconds positive: anything past
// MaxInt64 is too long for a Duration all the same.
func clampToInt64(u uint64) int64 { return int64(min(u, math.MaxInt64)) }

func notPositive(source any) error {
	return invalidf("the interval must be positive, not %v", source)
}

func tooLong(source any) error {
	return invalidf("the interval of %v seconds is longer than a time.Duration can hold (about 292 years)", source)
}

// invalidf returns the error of a parser about a bad source, wrapping
// evchan.ErrInvalid. It has no package prefix: Parse says where it arose
// ("sources: timer event \"t\": ") before it.
func invalidf(format string, args ...any) error {
	return errs.New(fmt.Sprintf(format, args...), evchan.ErrInvalid)
}
