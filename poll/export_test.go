package poll

import "time"

// SetSweepPeriod makes the pollers started from now on check every
// descriptor after d, for tests that wait for a sweep, and returns what
// puts the period back.
func SetSweepPeriod(d time.Duration) (restore func()) {
	old := sweepPeriod
	sweepPeriod = d
	return func() { sweepPeriod = old }
}
