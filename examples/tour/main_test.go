package main

import (
	"strings"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The tour prints the draft's events at their times and ends by itself
// (R1, R5, R6: timers on time, a virtual event triggered from the loop).
func TestTour(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		if err := tour(&out); err != nil {
			t.Fatal(err)
		}
		want := `  2.5s  timeout   One-shot timer expired
  5.0s  timeout   Periodic timer triggered
  5.0s  triggered Virtual event triggered
  6.0s  timeout   One second later ...
        deleting the periodic timer and the virtual event
  6.0s  the container is empty: the loop ends
`
		if out.String() != want {
			t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
		}
	})
}
