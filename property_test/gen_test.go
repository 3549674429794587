package property_test

import (
	"math"
	"time"

	"github.com/evchan/evchan/evchan"
	"pgregory.net/rapid"
)

// units are the scales of every drawn duration, from 1ns to hours. Durations
// are small multiples of one unit so that deadlines often coincide: ties
// (broken by ID) and ticks that fall exactly on the current instant are
// where ordering bugs live.
var units = []time.Duration{time.Nanosecond, time.Microsecond, time.Second, time.Hour}

// durations draws a positive duration.
var durations = rapid.Custom(func(t *rapid.T) time.Duration {
	unit := rapid.SampledFrom(units).Draw(t, "unit")
	return time.Duration(rapid.IntRange(1, 12).Draw(t, "n")) * unit
})

// timeouts draws the timeout argument of Add and Set: often none.
var timeouts = rapid.OneOf(rapid.Just(time.Duration(0)), durations)

// maxTicksPerSleep bounds the firings one sleep may cost. Each tick wakes
// the container's goroutine once even in virtual time, so a 1ns timer left
// to run for an hour would take the run hours of real time.
const maxTicksPerSleep = 32

// drawSleep draws how far to move virtual time: 1ns to hours, shortened while
// the model says it would fire too many ticks.
func drawSleep(t *rapid.T, m *model) time.Duration {
	d := durations.Draw(t, "sleep")
	for d > 1 && m.ticksWithin(d) > maxTicksPerSleep {
		d /= 2
	}
	return d
}

// drawID picks the ID a call is made on: mostly a live event, sometimes a
// deleted one, sometimes one never issued (0 included), since R2 says all
// of those must be answered with false and change nothing.
func drawID(t *rapid.T, m *model) evchan.ID {
	live, dead := m.liveIDs(), m.deadIDs()
	switch which := rapid.IntRange(0, 9).Draw(t, "which id"); {
	case which < 7 && len(live) > 0:
		return rapid.SampledFrom(live).Draw(t, "live id")
	case which < 9 && len(dead) > 0:
		return rapid.SampledFrom(dead).Draw(t, "dead id")
	}
	never := []evchan.ID{0, m.maxID + 1, m.maxID + 1000, math.MaxUint64}
	return rapid.SampledFrom(never).Draw(t, "unissued id")
}
