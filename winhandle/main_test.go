package winhandle

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// childEnv, when set in the environment, makes the test binary a child
// process for the tests that watch a process: it reads its standard input
// to the end, then exits with status childExit.
const (
	childEnv  = "WINHANDLE_TEST_CHILD"
	childExit = 7
)

// Every test ends with no goroutine of ours left (R12).
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		buf := make([]byte, 64)
		for {
			if _, err := os.Stdin.Read(buf); err != nil {
				os.Exit(childExit)
			}
		}
	}
	goleak.VerifyTestMain(m)
}
