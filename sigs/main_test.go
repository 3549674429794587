package sigs

import (
	"testing"

	"go.uber.org/goleak"
)

// setUp holds what the platform's tests need done before any test runs.
var setUp []func()

// Every test ends with no goroutine of ours left (R12).
func TestMain(m *testing.M) {
	for _, f := range setUp {
		f()
	}
	goleak.VerifyTestMain(m)
}
