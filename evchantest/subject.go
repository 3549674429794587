package evchantest

import (
	"testing"

	"github.com/evchan/evchan/evchan"
)

// A Subject is one source under test, with the means to make it fire.
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
	// Spec is the one-shot form of the source's event. The suite makes the
	// persistent form with Spec.Persistent, and expects Event.Source to
	// equal Spec.Source() (compared with reflect.DeepEqual).
	Spec evchan.Spec
	// Fire makes the source's condition happen once. It may return before
	// the firing reaches the container (a write to a pipe that a poller
	// watches, a cancel that an AfterFunc reports), unless Synchronous is
	// set; the suite then waits for the deliveries it expects.
	Fire func()
	// Reason is the reason the source's events carry when it fires.
	Reason evchan.Reason

	// Synchronous says that Fire returns only once every registration has
	// called Handle.Fire. The suite can then make exact checks that an
	// asynchronous source would race with: several firings before a receive
	// make exactly one delivery (R3), and a firing that comes after a
	// timeout fell due but before it was delivered wins over it (R7).
	Synchronous bool
	// FiresOnce says that the condition can happen only once (a context
	// ending): the checks that fire twice are skipped.
	FiresOnce bool
	// Level says that the source is level-triggered: once Fire has made its
	// condition hold, it holds until Reset, and the source reports it again
	// after each delivery of a persistent event (when the container calls
	// Rearm), as a descriptor stays readable until it is read. Counts are
	// then checked as at least one rather than exact.
	Level bool
	// Reset ends the condition of a Level source (reads the data, say). It
	// is required when Level is set.
	Reset func()
}

// validate fails the test for a Subject the suite cannot use.
func (s Subject) validate(t *testing.T) {
	t.Helper()
	if err := s.Spec.Err(); err != nil {
		t.Fatalf("evchantest: the Subject's Spec is invalid: %v", err)
	}
	if s.Fire == nil {
		t.Fatal("evchantest: the Subject has no Fire function")
	}
	if s.Reason == 0 {
		t.Fatal("evchantest: the Subject has no Reason")
	}
	if s.Level && s.Reset == nil {
		t.Fatal("evchantest: the Subject is Level but has no Reset function")
	}
}
