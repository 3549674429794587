package serve_test

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Every test ends with no goroutine of ours left: Shutdown and Close end
// every loop (and its container's goroutines).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// hangLimit bounds every wait of the tests. It only catches hangs: what is
// waited for takes milliseconds.
const hangLimit = 30 * time.Second
