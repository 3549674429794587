//go:build linux

package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func runExample(t *testing.T, name string, ctx context.Context, scale float64) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(ctx, filepath.Join("..", "..", "examples", "lua", name), nil, scale, &out)
	return out.String(), err
}

// TestExamples runs the draft's examples through the runner in a synctest
// bubble, with the draft's timer intervals on the bubble's virtual clock
// (they use no real I/O), and once more on the real clock with timers
// scaled down a hundredfold.
func TestExamples(t *testing.T) {
	t.Run("synctest", func(t *testing.T) { testExamples(t, 1, true) })
	t.Run("scaled", func(t *testing.T) { testExamples(t, 0.01, false) })
}

func testExamples(t *testing.T, scale float64, bubble bool) {
	// each runs f as subtest name: in a bubble of its own, or in parallel
	each := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			if bubble {
				synctest.Test(t, f)
				return
			}
			t.Parallel()
			f(t)
		})
	}
	cases := []struct{ file, want string }{
		{"callback.lua", "object event\tacceptor\ttrue\t1\nTimer expired!\nobject event\tacceptor\ttrue\t2\ndone\n"},
		{"persistent.lua", strings.Repeat("Oh no, the timer expired again!\n", 3) + "done\n"},
		{"trigger.lua", "triggered\nTriggered!\ntimeout\nLifetime over!\ndone\n"},
		{"del.lua", "1\n2\n3\ndeleted\ttrue\ndone\n"},
	}
	for _, c := range cases {
		each(c.file, func(t *testing.T) {
			out, err := runExample(t, c.file, context.Background(), scale)
			if err != nil {
				t.Fatal(err)
			}
			if c.file == "del.lua" && !bubble {
				// on the real clock a late loop may see ticks coalesce (R3)
				if !strings.HasPrefix(out, "1\n") || !strings.HasSuffix(out, "deleted\ttrue\ndone\n") {
					t.Errorf("got\n%s", out)
				}
				return
			}
			if out != c.want {
				t.Errorf("got\n%s\nwant\n%s", out, c.want)
			}
		})
	}
	each("once.lua", func(t *testing.T) {
		out, err := runExample(t, "once.lua", context.Background(), scale)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^Hello world!\nThe current time is:\t[0-9.e+]+\ndone\n$`).MatchString(out) {
			t.Errorf("got\n%s", out)
		}
	})
	// The simple example loops for ever, as in the draft: run it for 40
	// scaled seconds and check the order of what it printed.
	each("simple.lua", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(40*scale*float64(time.Second)))
		defer cancel()
		out, err := runExample(t, "simple.lua", ctx, scale)
		if err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			_, msg, ok := strings.Cut(line, "\t")
			if !ok {
				t.Fatalf("bad line %q", line)
			}
			got = append(got, msg)
		}
		want := []string{
			"One-shot timer expired",   // 2.5
			"Periodic timer triggered", // 5
			"Virtual event triggered",  // 5
			"One second later ...",     // 6
			"Periodic timer triggered", // 10
			"Periodic timer triggered", // 15
		}
		if len(got) < len(want) || strings.Join(got[:len(want)], "|") != strings.Join(want, "|") {
			t.Errorf("got %q\nwant a start of %q", got, want)
		}
		for _, g := range got[len(want):] {
			if g != "Periodic timer triggered" {
				t.Errorf("unexpected %q", g)
			}
		}
	})
}
