package evchantest

import "testing"

// TestSource checks the source that newSubject describes against the rules
// of an evchan.Container, one subtest per rule. newSubject is called once
// per subtest, inside it, and must return a fresh subject: a new context, a
// new pipe, a new channel. It may use t.Cleanup to release what it made;
// those cleanups run after the subtest's container is closed.
//
// Each subtest ends by checking that every goroutine started during it has
// ended, so do not run TestSource in parallel with other tests.
func TestSource(t *testing.T, newSubject func(t *testing.T) Subject) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, newSubject)
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
	// skip says why the check does not apply to a subject, or "".
	skip func(Subject) string
	run  func(r *rig)
}

// checks are the subtests of TestSource, in the order they run: the
// simplest first, so that a source that cannot deliver at all fails there
// with the plainest message.
var checks = []check{
	{"Delivery", nil, checkDelivery},
	{"OneShotDeletedOnDelivery", nil, checkOneShotDeleted},
	{"PersistentFiresAgain", firesTwice, checkPersistentFiresAgain},
	{"Coalescing", firesTwice, checkCoalescing},
	{"LevelRefiresWhileConditionHolds", levelOnly, checkLevelRefires},
	{"LoopOverAll", firesTwice, checkLoop},
	{"NoDeliveryAfterDel", nil, checkNoDeliveryAfterDel},
	{"Timeout", nil, checkTimeout},
	{"FiringBeforeTimeout", nil, checkFiringBeforeTimeout},
	{"FiringAfterTimeoutFellDue", synchronousOnly, checkFiringAfterTimeoutFellDue},
	{"ClearThenAddAgain", nil, checkClearThenAddAgain},
	{"Close", nil, checkClose},
}

func firesTwice(s Subject) string {
	if s.FiresOnce {
		return "the subject FiresOnce"
	}
	return ""
}

func levelOnly(s Subject) string {
	if !s.Level {
		return "the subject is edge-triggered"
	}
	return ""
}

func synchronousOnly(s Subject) string {
	if !s.Synchronous {
		return "the subject's Fire is not Synchronous: the suite cannot know when its firing reached the event"
	}
	return ""
}
