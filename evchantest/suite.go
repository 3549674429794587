package evchantest

import "testing"

// TestSource checks the source that newSubject describes against the rules
// of an evchan.Container, one subtest per rule. newSubject is called once
// per subtest, inside it, and must return a fresh subject: a new context, a
// new pipe, a new channel. It may use t.Cleanup to release what it made;
// those cleanups run after the subtest's container is closed. Each call of
// the subject's Fire must be one firing of the source, told to each event
// with one Handle.Fire, unless the subject is Level: see the package
// documentation, "One Fire, one firing".
//
// Each subtest ends by checking that every goroutine started during it has
// ended, so do not run TestSource in parallel with other tests.
func TestSource(t *testing.T, newSubject func(t *testing.T) Subject) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, c.rule, newSubject)
			if c.skip != nil {
				if why := c.skip(r.s); why != "" {
					t.Skip(why)
				}
			}
			c.run(r)
		})
	}
}

// A check is one subtest of TestSource.
type check struct {
	name string
	// rule is the rule of CONTRACT.md the check is about, which its failures
	// name unless they say another.
	rule string
	// skip says why the check does not apply to a subject, or "".
	skip func(Subject) string
	run  func(r *rig)
}

// checks are the subtests of TestSource, in the order they run: the
// simplest first, so that a source that cannot deliver at all fails there
// with the plainest message.
var checks = []check{
	{"Delivery", "R3", nil, checkDelivery},
	{"OneShotDeletedOnDelivery", "R1", nil, checkOneShotDeleted},
	{"PersistentFiresAgain", "R1", firesTwice, checkPersistentFiresAgain},
	{"Coalescing", "R3", firesTwice, checkCoalescing},
	{"LevelRefiresWhileConditionHolds", "R4", levelOnly, checkLevelRefires},
	{"LoopOverAll", "R3", firesTwice, checkLoop},
	{"NoDeliveryAfterDel", "R9", nil, checkNoDeliveryAfterDel},
	{"Timeout", "R7", nil, checkTimeout},
	{"FiringBeforeTimeout", "R7", nil, checkFiringBeforeTimeout},
	{"FiringAfterTimeoutFellDue", "R7", synchronousOnly, checkFiringAfterTimeoutFellDue},
	{"ClearThenAddAgain", "R11", nil, checkClearThenAddAgain},
	{"Close", "R12", nil, checkClose},
}

func firesTwice(s Subject) string {
	if s.FiresOnce {
		return "Subject.FiresOnce is set: the check fires twice"
	}
	return ""
}

func levelOnly(s Subject) string {
	if !s.Level {
		return "Subject.Level is not set: the check is for level-triggered sources"
	}
	return ""
}

func synchronousOnly(s Subject) string {
	if !s.Synchronous {
		return "Subject.Synchronous is not set: the suite cannot know when a firing reached the event"
	}
	return ""
}
