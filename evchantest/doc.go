// Package evchantest checks a Source against the rules of an
// evchan.Container, the way testing/fstest checks a file system: a user who
// writes a kind of event of their own describes it as a Subject, with the
// means to make it fire, and calls TestSource from a test.
//
//	func TestMySource(t *testing.T) {
//		evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
//			w := newWatchedThing(t)
//			return evchantest.Subject{
//				Spec:   evchan.Custom(w),
//				Fire:   w.poke,
//				Reason: evchan.Triggered,
//			}
//		})
//	}
//
// TestSource runs one subtest per rule that a source can break: delivery and
// Event fields, one-shot deletion (R1), coalescing (R3), a level-triggered
// source re-firing after Rearm, a loop over All whose body resets the
// condition before the event is re-armed, no delivery after Del (R9),
// timeouts (R7), Clear (R11) and Close (R12). Each subtest has a fresh
// container and a fresh subject, and ends by checking that no goroutine
// started during it is left (goleak). Every failure names the rule it is
// about ("R9: ..."), to be read next to the container's rules; the suite's
// own tests run it on a broken source for each subtest a source can fail.
//
// The suite runs in real time, since a source may do real I/O that a
// testing/synctest bubble cannot wait for. Timeouts are short (tens of
// milliseconds) and every wait for an event is bounded by ten seconds, a
// limit that only catches hangs: a subtest that hits it fails saying what it
// was waiting for.
//
// Pulse is a source for tests that fires when told to, fed through channels
// to a goroutine per registration: a model of a source to copy, and a
// subject to test container code with.
package evchantest
