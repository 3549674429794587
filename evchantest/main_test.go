package evchantest

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test ends with no goroutine of ours left (R12).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
