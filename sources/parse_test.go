package sources_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// R16: every letter of the draft that is built parses, in both cases, with
// every form of source the draft or Go code would give.
func TestParseBuiltLetters(t *testing.T) {
	for _, tc := range []struct {
		letter     string
		source     any
		wantSource any // Spec.Source(): a virtual event's state, a timer's interval
	}{
		{"v", nil, false}, // the draft's first form: nil is untriggered
		{"V", nil, false},
		{"v", true, true},
		{"V", false, false},
		{"t", 2.5, 2500 * time.Millisecond}, // the draft's seconds, fractions allowed
		{"T", 5.0, 5 * time.Second},
		{"t", float32(0.25), 250 * time.Millisecond},
		{"t", 0.1, 100 * time.Millisecond},
		{"t", 1e-12, time.Nanosecond}, // too short for a nanosecond: the shortest timer
		{"t", 3, 3 * time.Second},
		{"T", int64(60), time.Minute},
		{"t", int8(1), time.Second},
		{"t", int16(1), time.Second},
		{"t", int32(1), time.Second},
		{"t", uint(2), 2 * time.Second},
		{"t", uint8(1), time.Second},
		{"t", uint16(1), time.Second},
		{"t", uint32(1), time.Second},
		{"t", uint64(1), time.Second},
		{"T", 1500 * time.Millisecond, 1500 * time.Millisecond}, // Go's own unit
		{"t", time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)},
	} {
		spec, err := sources.Parse(tc.letter, tc.source)
		if err != nil {
			t.Errorf("Parse(%q, %v): %v", tc.letter, tc.source, err)
			continue
		}
		uppercase := tc.letter[0] <= 'Z'
		if spec.Letter() != tc.letter || spec.IsPersistent() != uppercase || spec.Source() != tc.wantSource || spec.Err() != nil {
			t.Errorf("Parse(%q, %v) = %v persistent=%v err=%v; want letter %q, persistent=%v, source %v",
				tc.letter, tc.source, spec, spec.IsPersistent(), spec.Err(), tc.letter, uppercase, tc.wantSource)
		}
	}
}

// R15: bad input gets an error wrapping the sentinel that says what is wrong.
func TestParseRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		letter string
		source any
		want   error
	}{
		{"", nil, sources.ErrUnknownLetter},
		{"q", nil, sources.ErrUnknownLetter},
		{"vv", nil, sources.ErrUnknownLetter},
		{"tT", 1.0, sources.ErrUnknownLetter},
		{"1", nil, sources.ErrUnknownLetter},
		{"é", nil, sources.ErrUnknownLetter},
		{"\x00", nil, sources.ErrUnknownLetter},
		{"v", 1, evchan.ErrInvalid},
		{"v", "true", evchan.ErrInvalid},
		{"t", nil, evchan.ErrInvalid}, // a timer has an interval
		{"t", "2.5", evchan.ErrInvalid},
		{"t", true, evchan.ErrInvalid},
		{"t", 0, evchan.ErrInvalid},
		{"T", 0.0, evchan.ErrInvalid},
		{"t", -1, evchan.ErrInvalid},
		{"t", int64(-1), evchan.ErrInvalid},
		{"t", -0.5, evchan.ErrInvalid},
		{"t", time.Duration(0), evchan.ErrInvalid},
		{"t", -time.Second, evchan.ErrInvalid},
		{"t", math.NaN(), evchan.ErrInvalid},
		{"t", math.Inf(1), evchan.ErrInvalid},
		{"t", math.Inf(-1), evchan.ErrInvalid},
		{"t", 1e300, evchan.ErrInvalid},                    // longer than a Duration holds
		{"t", float32(math.MaxFloat32), evchan.ErrInvalid}, // so is this
		{"t", int64(math.MaxInt64), evchan.ErrInvalid},     // and this, which must not wrap around
		{"t", uint64(math.MaxUint64), evchan.ErrInvalid},   // nor this
		{"t", int64(math.MaxInt64/int64(time.Second)) + 1, evchan.ErrInvalid},
	} {
		spec, err := sources.Parse(tc.letter, tc.source)
		if !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q, %v) = %v, %v; want an error wrapping %v", tc.letter, tc.source, spec, err, tc.want)
		}
		if !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Parse(%q, %v) = %v; bad input must wrap evchan.ErrInvalid too", tc.letter, tc.source, err)
		}
	}
}

// ErrUnknownLetter is itself a kind of evchan.ErrInvalid.
func TestErrUnknownLetterIsErrInvalid(t *testing.T) {
	if !errors.Is(sources.ErrUnknownLetter, evchan.ErrInvalid) {
		t.Fatal("errors.Is(ErrUnknownLetter, evchan.ErrInvalid) is false")
	}
	if errors.Is(evchan.ErrInvalid, sources.ErrUnknownLetter) {
		t.Fatal("errors.Is(evchan.ErrInvalid, ErrUnknownLetter) is true: the relation goes one way")
	}
}

// What Parse returns behaves as the draft says in a container: "V" with
// true is pending at once (R5), "t" 2.5 fires after 2.5 s, not before (R6),
// and "T" keeps firing (R1).
func TestParsedSpecsBehave(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		parse := func(letter string, source any) evchan.Spec {
			spec, err := sources.Parse(letter, source)
			if err != nil {
				t.Fatalf("Parse(%q, %v): %v", letter, source, err)
			}
			return spec
		}
		virtual := mustAdd(t, c, parse("V", true), "V", 0)
		oneShot := mustAdd(t, c, parse("t", 2.5), "t", 0)
		periodic := mustAdd(t, c, parse("T", 2), "T", 0)

		wantEvent(t, take(t, c), virtual, evchan.Triggered, 1, nil)
		time.Sleep(2 * time.Second)
		wantEvent(t, take(t, c), periodic, evchan.Timeout, 1, nil)
		time.Sleep(500*time.Millisecond - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		wantEvent(t, take(t, c), oneShot, evchan.Timeout, 1, nil)
		time.Sleep(1500 * time.Millisecond)
		wantEvent(t, take(t, c), periodic, evchan.Timeout, 1, nil)
		wantLen(t, c, 2) // the persistent ones
	})
}
