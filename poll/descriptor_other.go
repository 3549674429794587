//go:build !windows

package poll

// checkWatchable accepts every descriptor number: whether it is open is
// found when the event is added, where the poller also learns of a
// registered descriptor closed meanwhile (R15); a regular file is always
// ready.
func checkWatchable(int) error { return nil }

// platformNumber knows no descriptor types beyond the portable ones.
func platformNumber(any) (int64, bool) { return 0, false }
