//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows

package sources_test

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
	"github.com/evchan/evchan/sources"
)

// Parse's errors read as one sentence with one package prefix, sources',
// naming the kind, the letter and what was wrong with the source, even
// where the error comes from the kind's package (sigs, poll, winhandle):
// that package's prefix and the sentinels' texts are not repeated in it.
func TestParseErrorTexts(t *testing.T) {
	for _, tc := range []struct {
		letter string
		source any
		want   string
		wraps  error
	}{
		{"q", nil, `sources: unknown event letter "q": the draft's letters are v t r w x s h m, in either case`, sources.ErrUnknownLetter},
		{"vv", nil, `sources: unknown event letter "vv": an event letter is one character`, sources.ErrUnknownLetter},
		{"v", 1, `sources: virtual event "v": the source must be nil or a bool, not int`, evchan.ErrInvalid},
		{"t", -1, `sources: timer event "t": the interval must be positive, not -1`, evchan.ErrInvalid},
		{"T", -time.Second, `sources: timer event "T": the interval must be positive, not -1s`, evchan.ErrInvalid},
		{"t", math.NaN(), `sources: timer event "t": the interval must be a number of seconds, not NaN`, evchan.ErrInvalid},
		{"t", "2", `sources: timer event "t": the interval must be a time.Duration or a number of seconds, not string`, evchan.ErrInvalid},
		{"t", 1e300, `sources: timer event "t": the interval of 1e+300 seconds is longer than a time.Duration can hold (about 292 years)`, evchan.ErrInvalid},
		{"r", -1, `sources: readable event "r": descriptor -1 is not an open descriptor`, evchan.ErrInvalid},
		{"W", nil, `sources: writable event "W": nil is not an open descriptor`, evchan.ErrInvalid},
		{"s", "SIGNOPE", `sources: signal event "s": no signal is named "SIGNOPE" on ` + runtime.GOOS, evchan.ErrInvalid},
		{"S", "KILL", `sources: signal event "S": SIGKILL cannot be caught`, sigs.ErrUncatchable},
		{"s", 0, `sources: signal event "s": no signal has number 0`, evchan.ErrInvalid},
		{"s", 1.5, `sources: signal event "s": a signal is an os.Signal, a name or a number, not float64`, evchan.ErrInvalid},
	} {
		_, err := sources.Parse(tc.letter, tc.source)
		if err == nil {
			t.Errorf("Parse(%q, %v) = nil error, want %q", tc.letter, tc.source, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q, %v):\n got %q\nwant %q", tc.letter, tc.source, err, tc.want)
		}
		if !errors.Is(err, tc.wraps) || !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Parse(%q, %v) = %q, not wrapping %q and evchan.ErrInvalid", tc.letter, tc.source, err, tc.wraps)
		}
		for _, p := range []string{"evchan: ", "poll: ", "sigs: ", "sources: ", "winhandle: "} {
			if n := strings.Count(err.Error(), p); n > 0 && (p != "sources: " || n > 1) {
				t.Errorf("Parse(%q, %v) = %q, with %q %d times", tc.letter, tc.source, err, p, n)
			}
		}
	}
}

// The sentinels are short sentences of their own, each a kind of what it
// wraps.
func TestSentinelTexts(t *testing.T) {
	for _, tc := range []struct {
		err, kindOf error
		want        string
	}{
		{sources.ErrUnknownLetter, evchan.ErrInvalid, "sources: unknown event letter"},
		{sigs.ErrUncatchable, evchan.ErrInvalid, "sigs: signal cannot be caught"},
		{sources.ErrChanClosed, nil, "sources: channel closed"},
	} {
		if tc.err.Error() != tc.want {
			t.Errorf("%q, want %q", tc.err, tc.want)
		}
		if tc.kindOf != nil && !errors.Is(tc.err, tc.kindOf) {
			t.Errorf("%q is not a kind of %q", tc.err, tc.kindOf)
		}
	}
}
