package evchantest

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
)

// The second half of the suite's failure messages: after the rule and what
// was seen, what to look at. A source's author reads them, so they name a
// Subject field to set or a part of the source (Fire, Watch, Watcher.Rearm,
// Watcher.Stop, Handle.Fire) that breaks the rule, and say so when no
// source could have caused what was seen.

// containerOnly ends the message of a failure that no source can cause.
const containerOnly = "the container alone decides this, whatever the source does, so it is a bug of package evchan"

// stuck is what to look at when the suite waits in vain for an event that
// the container makes by itself (a timeout, the sentinel of drain).
const stuck = "that event needs nothing of the source, so the container's goroutine is stuck: look for a Watcher.Rearm or Watcher.Stop that blocks"

// notFired is what to look at when a delivery that Fire should have caused
// never came.
func (r *rig) notFired() string {
	if r.s.Level {
		return "check that Subject.Fire makes the condition hold, and that the source then calls Handle.Fire for each event, from the goroutine or poller its Watch started (or at Watch, if the condition already holds)"
	}
	return "check that Subject.Fire makes the condition happen, and that the source then calls Handle.Fire for each event, from the goroutine or poller its Watch started" + r.orBatched()
}

// orBatched adds, to what to look at when a firing never came, that an edge
// source may have folded it into an earlier one: once Fire has been called
// more than once, a source that batches calls looks the same.
func (r *rig) orBatched() string {
	if r.s.Level || r.fired < 2 {
		return ""
	}
	return "; each Subject.Fire call must make a Handle.Fire of its own, not be batched with another call"
}

// miscounted is what to look at when an edge subject's deliveries count
// got firings where Fire was called want times.
func (r *rig) miscounted(got, want int) string {
	s := "Subject.Fire must make exactly one Handle.Fire (or TryFire) per call, and the source made "
	if got < want {
		s += "fewer: it batches or loses firings. "
	} else {
		s += "more: it reports a firing more than once. "
	}
	switch {
	case r.s.Reset != nil:
		// Counts are checked exactly only when Level is not set.
		s += "Subject.Reset is set but Subject.Level is not: if the condition stays until Reset, set Subject.Level"
	case got < want && r.s.Synchronous:
		s += "If the source reports a condition that stays until it is read, set Subject.Level (and Reset); if Fire returns before the source calls Handle.Fire, unset Subject.Synchronous"
	default:
		s += "If the source reports a condition that stays until it is read, set Subject.Level (and Reset)"
	}
	return s
}

// wrongReason is what to look at when a delivery's Reason is got, where
// the suite expected want: the subject's Reason for a delivery that Fire
// caused, evchan.Timeout for one of an event whose source never fired.
func (r *rig) wrongReason(got, want evchan.Reason) string {
	switch {
	case want == evchan.Timeout && got == r.s.Reason:
		return "the source fired although Subject.Fire was not called: Watch and Watcher.Rearm must call Handle.Fire only for a condition that has happened"
	case got == evchan.Timeout && r.s.Synchronous:
		return "the firing of Subject.Fire had not reached the event when its timeout was delivered: Subject.Synchronous is set, so Fire must return only once the source has called Handle.Fire for every event; if it returns earlier, unset Subject.Synchronous"
	case got == evchan.Timeout:
		return "the firing of Subject.Fire never reached the event before its timeout: " + r.notFired()
	case want == evchan.Timeout:
		return "the source fired although Subject.Fire was not called (and with a Reason other than Subject.Reason)"
	}
	return fmt.Sprintf("set Subject.Reason to the Reason the source passes to Handle.Fire (here %v)", got)
}

// wrongErr is what to look at when a delivery carries err where the suite
// expected a plain firing or timeout.
func wrongErr(err error) string {
	if errors.Is(err, evchan.ErrPanicked) {
		return "a method of the source panicked (Watcher.Rearm, say) and the container ended the event with the panic"
	}
	return "the source reported an error (Handle.Error or Handle.Fail) where Subject.Fire makes a plain condition: report it with Handle.Fire"
}

// ended is what to look at when a persistent event is gone after a
// delivery e that should have left it in the container.
func ended(e evchan.Event) string {
	switch {
	case errors.Is(e.Err, evchan.ErrPanicked):
		return "its Watcher.Rearm panicked, which ends the event"
	case e.Last:
		return "the delivery had Last set, so the source ended the event with Handle.Fail, which is for a source gone for good: report a firing with Handle.Fire"
	}
	return "the delivery did not have Last set, so " + containerOnly
}
