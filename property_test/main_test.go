package property_test

import (
	"flag"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// rapidDefaults replace rapid's own defaults (100 checks of about 30 steps)
// in a plain `go test`: 1,000 sequences of about 100 steps reach states
// with many events, timers that ticked several times while pending, and
// timeouts beaten by triggers, which short sequences rarely do. Each entry
// names the flag and the environment variable that also sets it.
var rapidDefaults = []struct{ flag, env, value string }{
	{"rapid.checks", "RAPID_CHECKS", "1000"},
	{"rapid.steps", "RAPID_STEPS", "100"},
}

// TestMain applies rapidDefaults where the user chose nothing, and verifies
// that no goroutine outlives the tests (R12). rapid reads its flags when a
// check starts, so setting them after flag.Parse is enough; -rapid.seed
// still reproduces a failure, since the sequence a seed makes does not
// depend on how many checks run.
func TestMain(m *testing.M) {
	flag.Parse()
	given := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, d := range rapidDefaults {
		if _, env := os.LookupEnv(d.env); given[d.flag] || env {
			continue
		}
		if err := flag.Set(d.flag, d.value); err != nil {
			panic(err)
		}
	}
	goleak.VerifyTestMain(m)
}
