// Package evchantest checks a Source against the rules of an
// evchan.Container (R1–R16 of the repository's CONTRACT.md), the way
// testing/fstest checks a file system: a user who writes a kind of event of
// their own describes it as a Subject, with the means to make it fire, and
// calls TestSource from a test.
//
//	func TestDoorbell(t *testing.T) {
//		evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
//			b := newDoorbell(t) // a fresh one for each subtest
//			return evchantest.Subject{
//				Spec:        evchan.Custom(b), // the one-shot form
//				Fire:        b.ring,           // one ring: one Handle.Fire per event of b
//				Reason:      evchan.Triggered, // what b passes to Handle.Fire
//				Synchronous: true,             // ring returns once every event is told
//			}
//		})
//	}
//
// # One Fire, one firing
//
// The suite relies on a rule of its own, besides the container's: each
// call of Subject.Fire is one firing of the source. Every event of
// Spec that the firing reaches must be told of it by exactly one
// Handle.Fire (or TryFire): not two, and not one shared with another call.
// Event.Count is how many times an event fired since its last delivery
// (R3), so the Counts of an edge source's deliveries must add up to the
// number of Fire calls, exactly. A source that folds two calls into one
// Handle.Fire, or splits one into several, fails with an R3 message about
// Count even if it coalesces correctly. If the source merges conditions
// that come close together (a signal sent twice before it is caught), Fire
// must wait until its firing has been noticed before it returns.
//
// A level-triggered source is the exception, and says so with
// Subject.Level: Fire makes its condition hold until Subject.Reset ends it,
// and the source reports the condition when it arises and again at each
// Watcher.Rearm while it holds, as a descriptor stays readable until read.
// Its firings are not counted one by one, so Counts are checked to be at
// least one rather than exact, and the suite checks instead that the
// condition is reported again after Rearm and not once Reset ended it.
//
// # The Subject
//
// What each field means for the checks (the Subject type says more):
//
//   - Spec: the one-shot form of the event; the suite makes the persistent
//     one with Spec.Persistent. Event.Source must equal Spec.Source()
//     (reflect.DeepEqual); Spec.WithSource sets what it shows.
//   - Fire: one firing per call, as above.
//   - Reason: the Reason the source passes to Handle.Fire, expected in
//     every delivery that Fire causes; a timeout delivers evchan.Timeout.
//   - Synchronous: Fire returns only once the source has called
//     Handle.Fire for every event; Counts are then checked after several
//     Fire calls as one delivery, and FiringAfterTimeoutFellDue runs.
//   - FiresOnce: the condition happens only once (a context ending); Fire
//     is called at most once, and the subtests that fire twice are skipped.
//   - Level and Reset: a level-triggered source, as above;
//     LevelRefiresWhileConditionHolds runs only for it.
//
// # The subtests
//
// TestSource runs one subtest per rule that a source can break, in this
// order, each with a fresh container and a fresh Subject:
//
//   - Delivery: one Fire makes one delivery of a one-shot event, with its
//     ID, Subject.Reason, Spec's Source, the data given to Add, Count 1 and
//     no Err.
//   - OneShotDeletedOnDelivery (R1): the delivered one-shot event is gone.
//   - PersistentFiresAgain (R1): a persistent event is delivered, stays,
//     and is delivered again after Reset and Fire.
//   - Coalescing (R3): three Fire calls before a receive make one delivery
//     with Count 3 (or, unless Synchronous, deliveries whose Counts add up
//     to 3), then one more makes Count 1.
//   - LevelRefiresWhileConditionHolds (R4): a Level condition is delivered
//     again after Rearm while it holds, and again after Reset and Fire
//     (unless FiresOnce).
//   - LoopOverAll (R3): a loop over All whose body calls Reset and Fire
//     gets one delivery per Fire, and none after the last Reset.
//   - NoDeliveryAfterDel (R9): of two events of Spec, one is deleted; one
//     Fire is then delivered to the other only.
//   - Timeout, FiringBeforeTimeout, FiringAfterTimeoutFellDue (R7): an
//     event that never fires times out; one that fires is delivered for
//     Subject.Reason, even after its timeout fell due.
//   - ClearThenAddAgain (R11): after Clear, Spec can be added and fired
//     again, and nothing cleared is delivered.
//   - Close (R12): Close returns nil, closes C, and later calls fail.
//
// Each subtest ends by checking that no goroutine started during it is
// left (goleak).
//
// # Failures
//
// Every failure starts with the rule it is about ("R9: ..."), to be read
// next to the container's rules, says what was seen and what was expected,
// and then what to look at: the Subject field to set, or the part of the
// source (Fire, Watch, Watcher.Rearm, Watcher.Stop) that breaks the rule.
// What no source can cause says that it is a bug of package evchan. A
// Subject the suite cannot use fails with "evchantest: ..." instead. The
// suite's own tests run it on a broken source for each subtest a source can
// fail.
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
