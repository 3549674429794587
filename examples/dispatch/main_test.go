package main

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// On the virtual clock of a synctest bubble the comparison prints the same
// every time: the bound of each strategy is reached and holds, and the
// Counts of "done" add up to its triggers (R3) without two of its handlers
// running at once.
func TestCompare(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		if err := compare(t.Context(), &out, 100*time.Millisecond, false); err != nil {
			t.Fatal(err)
		}
		const want = `Run:           6 jobs in 600ms, at most 1 at once; "done" counted 6 triggers, never twice at once
Goroutines(3): 6 jobs in 200ms, at most 3 at once; "done" counted 6 triggers, never twice at once
Pool(2):       6 jobs in 300ms, at most 2 at once; "done" counted 6 triggers, never twice at once
`
		if out.String() != want {
			t.Errorf("got\n%s\nwant\n%s", out.String(), want)
		}
	})
}
