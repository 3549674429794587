package faults_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Whatever fault a test injects, it ends with no goroutine of ours left:
// Close ends every goroutine a container started (R12), failed sources and
// services included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
