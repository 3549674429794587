package sources_test

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// maxWholeSeconds is the most whole seconds a time.Duration holds.
const maxWholeSeconds = int64(math.MaxInt64 / time.Second) // 9223372036, an int64

// secondsLimit returns the largest float64 number of seconds whose nearest
// Duration is at most MaxInt64 nanoseconds, and the next float64 up, worked
// out in exact arithmetic rather than the way the package computes it.
func secondsLimit() (fits, tooLong float64) {
	// Round(f*1e9) <= MaxInt64 exactly when f*1e9 < MaxInt64 + 1/2.
	bound := new(big.Rat).Add(new(big.Rat).SetInt64(math.MaxInt64), big.NewRat(1, 2))
	bound.Quo(bound, new(big.Rat).SetInt64(int64(time.Second)))
	f, _ := bound.Float64()
	for new(big.Rat).SetFloat64(f).Cmp(bound) >= 0 {
		f = math.Nextafter(f, 0)
	}
	for {
		up := math.Nextafter(f, math.Inf(1))
		if new(big.Rat).SetFloat64(up).Cmp(bound) >= 0 {
			return f, up
		}
		f = up
	}
}

// R6, R7, R15: a timer interval is accepted whenever a time.Duration can
// hold it, up to time.Duration(math.MaxInt64), the way to say never; a
// number of seconds no Duration can hold, +Inf and NaN are refused with an
// error wrapping evchan.ErrInvalid, as are non-positive intervals. The
// limit is checked from both sides, for floats and for integers.
func TestParseHugeIntervals(t *testing.T) {
	fits, tooLong := secondsLimit()
	const (
		accepted   = ""
		longer     = "seconds is longer than a time.Duration can hold"
		notANumber = "the interval must be a number of seconds, not NaN"
		notPos     = "the interval must be positive, not "
	)
	for _, tc := range []struct {
		source any
		want   time.Duration // when accepted
		err    string        // part of the error's text; "" when accepted
	}{
		{9.2e9, 9_200_000_000 * time.Second, accepted},
		{9e9, 9_000_000_000 * time.Second, accepted},
		{fits, time.Duration(math.Round(fits * 1e9)), accepted},
		{tooLong, 0, longer},
		{9.3e9, 0, longer},
		{1e300, 0, longer},
		{math.MaxFloat64, 0, longer},
		{math.Inf(1), 0, longer},
		{float32(9.3e9), 0, longer},
		{float32(math.Inf(1)), 0, longer},
		{math.NaN(), 0, notANumber},
		{float32(math.NaN()), 0, notANumber},
		{math.Inf(-1), 0, notPos},
		{-9.3e9, 0, notPos},

		{maxWholeSeconds, time.Duration(maxWholeSeconds) * time.Second, accepted},
		{uint64(maxWholeSeconds), time.Duration(maxWholeSeconds) * time.Second, accepted},
		{int64(maxWholeSeconds + 1), 0, longer},
		{uint64(maxWholeSeconds + 1), 0, longer},
		{uint(math.MaxUint), 0, longer},
		{int64(math.MaxInt64), 0, longer},
		{int64(math.MinInt64), 0, notPos},

		{time.Duration(math.MaxInt64), time.Duration(math.MaxInt64), accepted},
		{time.Duration(math.MaxInt64 - 1), time.Duration(math.MaxInt64 - 1), accepted},
		{time.Duration(math.MinInt64), 0, notPos},
	} {
		for _, letter := range []string{"t", "T"} {
			spec, err := sources.Parse(letter, tc.source)
			if tc.err == accepted {
				if err != nil {
					t.Errorf("Parse(%q, %T(%v)): %v, want %v", letter, tc.source, tc.source, err, tc.want)
				} else if got := spec.Source(); got != tc.want {
					t.Errorf("Parse(%q, %T(%v)) has interval %v, want %v", letter, tc.source, tc.source, got, tc.want)
				}
				continue
			}
			if !errors.Is(err, evchan.ErrInvalid) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q, %T(%v)) = %v, %v; want an error wrapping evchan.ErrInvalid saying %q",
					letter, tc.source, tc.source, spec, err, tc.err)
			}
		}
	}
}

// R6, R7, R15: what Parse accepts the container accepts too, as an interval
// and as a timeout, and an interval reaching past the container's clock
// never fires: after a virtual century nothing has.
func TestHugeIntervalsNeverFire(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		fits, _ := secondsLimit()
		for _, source := range []any{fits, 9.2e9, maxWholeSeconds, time.Duration(math.MaxInt64)} {
			for _, letter := range []string{"t", "T"} {
				spec, err := sources.Parse(letter, source)
				if err != nil {
					t.Fatalf("Parse(%q, %v): %v", letter, source, err)
				}
				mustAdd(t, c, spec, letter, 0)
			}
		}
		never, err := sources.Parse("v", nil)
		if err != nil {
			t.Fatal(err)
		}
		mustAdd(t, c, never, "timeout never", time.Duration(math.MaxInt64))
		mustAdd(t, c, never.Persistent(), "timeout 9.2e9 s", 9_200_000_000*time.Second)
		const n = 4*2 + 2
		wantLen(t, c, n)
		none(t, c)
		time.Sleep(100 * 365 * 24 * time.Hour)
		none(t, c)
		wantLen(t, c, n)
	})
}
