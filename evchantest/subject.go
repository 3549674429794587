package evchantest

import (
	"testing"

	"github.com/evchan/evchan/evchan"
)

// A Subject is one source under test, with the means to make it fire. The
// suite asks for a fresh one in each subtest, adds Spec to the subtest's
// container (several times, one-shot and persistent), and calls Fire, and
// Reset for a Level source, from the subtest's goroutine, never two at once.
//
// An edge source, where each Fire is one firing:
//
//	ch := make(chan int)
//	return evchantest.Subject{
//		Spec:   sources.Recv(ch),
//		Fire:   func() { ch <- 1 }, // one value received: one Handle.Fire
//		Reason: evchan.Triggered,
//	}
//
// A level source, where Fire makes a condition hold until Reset:
//
//	r, w := pipe(t) // closed by t.Cleanup
//	return evchantest.Subject{
//		Spec:   poll.Readable(r),
//		Fire:   func() { w.Write([]byte{1}) },
//		Reset:  func() { readAll(r) },
//		Reason: evchan.Readable,
//		Level:  true,
//	}
//
// The suite adds Spec several times to one container and calls Fire once for
// all of them, so it assumes that one firing reaches every registration of
// Spec: a context ending, a descriptor becoming ready and a signal arriving
// all do. A source whose firings are shared out instead, such as a channel
// with several receivers, is tested correctly as long as its Watcher's Stop
// ends its receiving before it returns: the suite never fires with two live
// registrations expecting both to see it, only after Del or Clear of all
// but one (a one-shot event delivered before is stopped by the container
// later, asynchronously, so the suite never counts on that either).
type Subject struct {
	// Spec is the one-shot form of the source's event; Spec.Err must be
	// nil. The suite makes the persistent form with Spec.Persistent, and
	// expects Event.Source to equal Spec.Source(), compared with
	// reflect.DeepEqual, which finds no func equal: a source that should
	// show something else (the descriptor a user gave, or something
	// comparable for a func) sets it with Spec.WithSource.
	Spec evchan.Spec
	// Fire makes the source's condition happen once. Each call is one
	// firing of the source, and the suite counts on it: each event of Spec
	// that the firing reaches must be told of it by exactly one Handle.Fire
	// (or TryFire), not two, and not one shared with another call. An edge
	// source's deliveries must then count the calls exactly, since
	// Event.Count is how many times the event fired since its last delivery
	// (R3): a source that folds two calls into one Handle.Fire (a debounce, a
	// flag where a count is due, a signal sent again before the first was
	// caught), or splits one call into several, fails with an R3 message
	// about Count. If the source merges conditions that come close together,
	// Fire must wait until its firing has been noticed before it returns.
	// A Level source is the exception: see Level.
	//
	// Fire may return before the firing reaches the container (a write to
	// a pipe that a poller watches, a cancel that an AfterFunc reports),
	// unless Synchronous is set; the suite then waits for the deliveries it
	// expects, up to ten seconds. It may fail the subtest through the
	// *testing.T given to newSubject.
	Fire func()
	// Reason is the Reason the source passes to Handle.Fire: the suite
	// expects it in every delivery that Fire causes, and evchan.Timeout in
	// those of timeouts. It must not be zero.
	Reason evchan.Reason

	// Synchronous says that Fire returns only once every event it reaches
	// has been told with Handle.Fire. The suite can then make exact checks
	// that an asynchronous source would race with: several firings before a
	// receive make exactly one delivery that counts them all (R3), and a
	// firing that comes after a timeout fell due but before it was
	// delivered wins over it (R7; the FiringAfterTimeoutFellDue subtest runs
	// only for a Synchronous subject). Set falsely, it makes those checks
	// fail with a Count too small or a Timeout delivery.
	Synchronous bool
	// FiresOnce says that the condition can happen only once (a context
	// ending): Fire is called at most once per Subject, and the subtests
	// that fire twice (PersistentFiresAgain, Coalescing, LoopOverAll) are
	// skipped.
	FiresOnce bool
	// Level says that the source is level-triggered: once Fire has made its
	// condition hold, it holds until Reset, and the source reports it (one
	// Handle.Fire) when it arises and again each time the container calls
	// Watcher.Rearm, after a delivery of a persistent event, while it still
	// holds, as a descriptor stays readable until it is read. A level
	// source's firings are not counted one by one: two Fire calls may make
	// one condition, so Counts are checked to be at least one, not exact.
	// The suite checks instead that the condition is reported again after
	// Rearm while it holds (LevelRefiresWhileConditionHolds, run only for a
	// Level subject) and not once Reset has ended it (LoopOverAll).
	Level bool
	// Reset ends the condition of a Level source (reads the data, say). It
	// is required when Level is set, and never called otherwise. The suite
	// calls it after a delivery, before it makes the condition hold again
	// or expects no more deliveries.
	Reset func()
}

// validate fails the test for a Subject the suite cannot use.
func (s Subject) validate(t *testing.T) {
	t.Helper()
	if err := s.Spec.Err(); err != nil {
		t.Fatalf("evchantest: Subject.Spec is invalid (Spec.Err returns %v): build it with the source's constructor, or evchan.Custom of a non-nil Source", err)
	}
	if s.Fire == nil {
		t.Fatal("evchantest: Subject.Fire is nil: set it to a function that makes the source's condition happen once")
	}
	if s.Reason == 0 {
		t.Fatal("evchantest: Subject.Reason is not set: set it to the Reason the source passes to Handle.Fire")
	}
	if s.Level && s.Reset == nil {
		t.Fatal("evchantest: Subject.Level is set but Subject.Reset is nil: a Level source needs a Reset that ends its condition (reads the data, say)")
	}
}
