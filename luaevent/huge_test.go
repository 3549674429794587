package luaevent_test

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// secondsLimit returns the largest Lua number of seconds whose nearest
// Duration is at most MaxInt64 nanoseconds, and the next number up, worked
// out in exact arithmetic rather than the way the binding computes it.
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

// R6, R7, R15: a timeout (of add and of set) or a timer interval is
// accepted whenever a Go time.Duration can hold it, as sources.Parse
// accepts an interval, and such a timer or timeout reaching past the
// container's clock never fires; math.huge, infinity, NaN, a number of
// seconds no Duration can hold, a negative timeout and a non-positive interval are
// refused with a Lua error naming the argument, and leave the set as it was.
// The limit is checked from both sides: 9223372036 whole seconds and the
// largest float below the limit pass, 9223372037 and the next float fail.
func TestHugeSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fits, tooLong := secondsLimit()
		L := newState(t)
		L.SetGlobal("FITS", lua.LNumber(fits))
		L.SetGlobal("TOO_LONG", lua.LNumber(tooLong))
		run(t, L, `keep = ev:add("V", nil, "keep")`)

		accepted := []string{
			`ev:add("v", nil, "to", 9e9)`,
			`ev:add("V", nil, "to", 9.2e9)`,
			`ev:add("v", nil, "to", 9223372036)`,
			`ev:add("V", nil, "to", FITS)`,
			`ev:add("t", 9.2e9, "t")`,
			`ev:add("T", 9.2e9, "T")`,
			`ev:add("t", 9223372036, "t")`,
			`ev:add("T", FITS, "T")`,
			`ev:add("T", 9e9, "T", 9.2e9)`,
			`ev:set(keep, "keep", 9.2e9)`,
			`ev:set(keep, "keep", FITS)`,
			`ev:set(keep, "keep", 9e9)`,
		}
		for _, code := range accepted {
			if err := L.DoString("got = " + code); err != nil {
				t.Errorf("%s: %v, want it accepted", code, err)
				continue
			}
			if got, ok := L.GetGlobal("got").(lua.LNumber); !ok || got <= 0 {
				t.Errorf("%s returned %v, want an id", code, L.GetGlobal("got"))
			}
		}

		longer := fmt.Sprint(tooLong) + " seconds is too long"
		// gopher-lua's math.huge is the largest float64, not infinity, so
		// both it and 1/0 are checked.
		huge := fmt.Sprint(math.MaxFloat64) + " seconds is too long"
		refused := []struct{ code, want string }{
			{`ev:add("v", nil, nil, math.huge)`, `bad argument #4 to 'add' (` + huge + `)`},
			{`ev:add("v", nil, nil, 1/0)`, `bad argument #4 to 'add' (+Inf seconds is too long)`},
			{`ev:add("v", nil, nil, 9.3e9)`, `bad argument #4 to 'add' (9.3e+09 seconds is too long)`},
			{`ev:add("v", nil, nil, 9223372037)`, `bad argument #4 to 'add' (9.223372037e+09 seconds is too long)`},
			{`ev:add("v", nil, nil, TOO_LONG)`, `bad argument #4 to 'add' (` + longer + `)`},
			{`ev:add("v", nil, nil, 1e300)`, `bad argument #4 to 'add' (1e+300 seconds is too long)`},
			{`ev:add("v", nil, nil, 0/0)`, `bad argument #4 to 'add' (NaN seconds)`},
			{`ev:add("v", nil, nil, -1/0)`, `bad argument #4 to 'add' (negative timeout -Inf)`},
			{`ev:add("T", 1, nil, math.huge)`, `bad argument #4 to 'add' (` + huge + `)`},
			{`ev:set(keep, "keep", math.huge)`, `bad argument #3 to 'set' (` + huge + `)`},
			{`ev:set(keep, "keep", 1/0)`, `bad argument #3 to 'set' (+Inf seconds is too long)`},
			{`ev:set(keep, "keep", 9.3e9)`, `bad argument #3 to 'set' (9.3e+09 seconds is too long)`},
			{`ev:set(keep, "keep", 9223372037)`, `bad argument #3 to 'set' (9.223372037e+09 seconds is too long)`},
			{`ev:set(keep, "keep", TOO_LONG)`, `bad argument #3 to 'set' (` + longer + `)`},
			{`ev:set(keep, "keep", 0/0)`, `bad argument #3 to 'set' (NaN seconds)`},
			{`ev:add("t", math.huge)`, `bad argument #2 to 'add' (timer interval ` + huge + `)`},
			{`ev:add("T", math.huge)`, `bad argument #2 to 'add' (timer interval ` + huge + `)`},
			{`ev:add("t", 1/0)`, `bad argument #2 to 'add' (timer interval +Inf seconds is too long)`},
			{`ev:add("T", 9.3e9)`, `bad argument #2 to 'add' (timer interval 9.3e+09 seconds is too long)`},
			{`ev:add("t", 9223372037)`, `bad argument #2 to 'add' (timer interval 9.223372037e+09 seconds is too long)`},
			{`ev:add("T", TOO_LONG)`, `bad argument #2 to 'add' (timer interval ` + longer + `)`},
			{`ev:add("t", 0/0)`, `bad argument #2 to 'add' (timer interval must be > 0, got NaN)`},
			{`ev:add("T", -1/0)`, `bad argument #2 to 'add' (timer interval must be > 0, got -Inf)`},
			{`ev:add("T", -math.huge)`, `bad argument #2 to 'add' (timer interval must be > 0, got ` + fmt.Sprint(-math.MaxFloat64) + `)`},
		}
		for _, c := range refused {
			err := L.DoString(c.code)
			if err == nil {
				t.Errorf("%s: accepted, want %s", c.code, c.want)
			} else if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s:\n got %v\nwant %s", c.code, err, c.want)
			}
		}

		// Nothing fires in a virtual century, and the refusals added nothing
		// and changed no context: only keep, triggered, is delivered.
		time.Sleep(100 * 365 * 24 * time.Hour)
		run(t, L, `
			assert(ev:trigger(keep) == keep)
			local n = 0
			for id, why, src, ctx in ev(false) do
				n = n + 1
				assert(id == keep and why == "triggered" and ctx == "keep", tostring(ctx) .. " " .. why)
			end
			assert(n == 1, n .. " events delivered, want only keep")`)
	})
}
