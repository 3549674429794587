package evchantest

import (
	"cmp"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// brokenEnv names the broken subject that TestBrokenSubject runs the suite
// on, in the process TestSuiteCatchesBrokenSources starts.
const brokenEnv = "EVCHANTEST_BROKEN"

// brokenSubjects are sources that break a rule, each with what the suite's
// failure must say: the rule and what was seen, and what to look at (the
// Subject field to set, the part of the source to mend). Each breaks what
// one check is about, as a real source's bug would; every check has one, or
// says in unfailable why it cannot, so that no check passes by never
// looking.
var brokenSubjects = map[string]struct {
	subject func(*testing.T) Subject
	says    []string // all of them
	check   string   // the subtest that catches it; Delivery if empty
}{
	"reports the wrong reason": {
		func(*testing.T) Subject {
			s := NewPulse().Subject()
			s.Reason = evchan.Readable // the Pulse fires with Triggered
			return s
		},
		[]string{
			"R3: event 1 triggered count=1: Reason is triggered, want readable",
			"set Subject.Reason to the Reason the source passes to Handle.Fire (here triggered)",
		},
		"",
	},
	"reports each firing twice": {
		func(*testing.T) Subject { return (&stutter{times: 2}).subject() },
		[]string{
			"R3: event 1 triggered count=2: Count is 2 after 1 firing(s), want 1",
			"Subject.Fire must make exactly one Handle.Fire (or TryFire) per call, and the source made more: it reports a firing more than once",
		},
		"",
	},
	"batches two Fire calls into one Handle.Fire": {
		func(*testing.T) Subject { return (&stutter{times: 1, batch: true}).subject() },
		[]string{
			"R3: event 1 triggered count=2: Count is 2 after 3 firing(s), want 3",
			"Subject.Fire must make exactly one Handle.Fire (or TryFire) per call, and the source made fewer: it batches or loses firings",
		},
		"Coalescing",
	},
	"is level-triggered but not declared Level": {
		func(*testing.T) Subject {
			l := new(latch)
			return Subject{Spec: evchan.Custom(l), Fire: l.set, Reason: evchan.Readable, Synchronous: true}
		},
		[]string{
			"R3: event 1 readable count=1: Count is 1 after 3 firing(s), want 3",
			"If the source reports a condition that stays until it is read, set Subject.Level (and Reset)",
		},
		"Coalescing",
	},
	"has a Reset but is not declared Level": {
		func(*testing.T) Subject {
			l := new(latch)
			return Subject{Spec: evchan.Custom(l), Fire: l.set, Reset: l.reset, Reason: evchan.Readable, Synchronous: true}
		},
		[]string{
			"R3: event 1 readable count=1: Count is 1 after 3 firing(s), want 3",
			"Subject.Reset is set but Subject.Level is not: if the condition stays until Reset, set Subject.Level",
		},
		"Coalescing",
	},
	"is declared Level without a Reset": {
		func(*testing.T) Subject {
			s := NewPulse().Subject()
			s.Level = true
			return s
		},
		[]string{"evchantest: Subject.Level is set but Subject.Reset is nil"},
		"",
	},
	"leaves its goroutine running": {
		func(*testing.T) Subject { return (&stutter{times: 1, leak: true}).subject() },
		[]string{
			"R12: a goroutine started in the subtest outlived Close: Watcher.Stop must end what Watch started",
			"found unexpected goroutines",
		},
		"",
	},
	"reports a reset condition at Rearm": {
		func(*testing.T) Subject {
			l := &latch{stale: true}
			return Subject{
				Spec: evchan.Custom(l), Fire: l.set, Reset: l.reset,
				Reason: evchan.Readable, Level: true, Synchronous: true,
			}
		},
		[]string{
			"R3: after the loop, whose body called Subject.Reset before it ended",
			"the source reported a condition that no longer held when Rearm was called",
			"Watcher.Rearm must look at the condition anew",
		},
		"LoopOverAll",
	},
	"ends a persistent event at its first firing": {
		func(*testing.T) Subject { return (&stutter{times: 1, fail: true}).subject() },
		[]string{
			"R1: Len = 0 after a persistent event was delivered, want 1",
			"the source ended the event with Handle.Fail",
		},
		"PersistentFiresAgain",
	},
	"merges the firings made before Rearm into one": {
		func(*testing.T) Subject { return (&stutter{times: 1, merge: true}).subject() },
		[]string{
			"R3: event 1 triggered count=1: Count is 1 after 3 firing(s), want 3",
			"Subject.Fire must make exactly one Handle.Fire (or TryFire) per call",
		},
		"Coalescing",
	},
	"reports a level condition only when it is set": {
		func(*testing.T) Subject {
			l := &latch{edge: true}
			return Subject{
				Spec: evchan.Custom(l), Fire: l.set, Reset: l.reset,
				Reason: evchan.Readable, Level: true, Synchronous: true,
			}
		},
		[]string{
			"R4: no event within 3s while waiting for a second delivery of a level event whose condition still holds",
			"each time the container calls Watcher.Rearm while the condition holds",
			"unset Subject.Level",
		},
		"LevelRefiresWhileConditionHolds",
	},
	"stops every registration when one is deleted": {
		func(*testing.T) Subject { return (&stutter{times: 1, stopAll: true}).subject() },
		[]string{
			"R9: no event within 3s while waiting for B's delivery",
			"Watcher.Stop of the deleted event A must end A's watching only",
		},
		"NoDeliveryAfterDel",
	},
	"fires by itself": {
		func(*testing.T) Subject { return (&stutter{times: 1, fireAtWatch: true}).subject() },
		[]string{
			"Reason is triggered, want timeout",
			"the source fired although Subject.Fire was not called",
		},
		"Timeout",
	},
	"is not watched again once all its events ended": {
		func(*testing.T) Subject { return (&stutter{times: 1, endWithLast: true}).subject() },
		[]string{
			"R11: no event within 3s while waiting for the delivery of an event added after Clear",
			"a source must not stay dead once its last Watcher.Stop ran",
		},
		"ClearThenAddAgain",
	},
	"closes the container's service itself": {
		func(*testing.T) Subject { return (&stutter{times: 1, closeService: true}).subject() },
		[]string{
			"R12: Close returned file already closed, want nil",
			"Stop must not close a service itself",
		},
		"Close",
	},
}

// unfailable are the checks that no source fails unless Delivery fails it
// too: what they add is kept by the container whatever the source does.
var unfailable = map[string]string{
	"OneShotDeletedOnDelivery":  "the container deletes the entry as it delivers it; the source only sees Stop, later",
	"FiringBeforeTimeout":       "it is Delivery with a timeout, which the source cannot see",
	"FiringAfterTimeoutFellDue": "the container lets a firing that reaches it win over the timeout; only a Subject claiming Synchronous falsely fails it",
}

// Every check has a broken subject that it catches, or a reason it cannot.
func TestEveryCheckCatchesABrokenSource(t *testing.T) {
	caught := map[string]bool{}
	for _, b := range brokenSubjects {
		caught[cmp.Or(b.check, "Delivery")] = true
	}
	for _, c := range checks {
		if !caught[c.name] && unfailable[c.name] == "" {
			t.Errorf("no broken subject fails %s, and unfailable does not say why", c.name)
		}
	}
}

// failureLine matches the first line of a failure in go test's output, the
// message after the file and line (goleak's stacks follow on other lines);
// ruleFirst, a message that starts with its rule ("R9: ", "R1, R2: "), or
// with "evchantest: " for a Subject the suite cannot use; pointsAt, one that
// says what to look at: a Subject field, a part of the source, or the
// container when no source can be at fault.
var (
	failureLine = regexp.MustCompile(`(?m)^ +\w+\.go:\d+: (.*)$`)
	ruleFirst   = regexp.MustCompile(`^(R\d+(, R\d+)*|evchantest): `)
	pointsAt    = regexp.MustCompile(`\bSubject\.\w+|\bWatcher\.\w+|\bHandle\.\w+|\bWatch\b|package evchan\b`)
)

// The suite fails, saying why and naming the rule, for a source that breaks
// a rule. Each broken source runs in a process of its own, since a failing
// subtest cannot be run inside a passing test; the processes run in
// parallel, as some wait out the hang limit.
func TestSuiteCatchesBrokenSources(t *testing.T) {
	for name, broken := range brokenSubjects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check := cmp.Or(broken.check, "Delivery")
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenSubject$/^"+check+"$", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a source that %s:\n%s", name, out)
			}
			for _, says := range broken.says {
				if !strings.Contains(string(out), says) {
					t.Errorf("the suite failed a source that %s without saying %q", name, says)
				}
			}
			failures := failureLine.FindAllStringSubmatch(string(out), -1)
			if len(failures) == 0 {
				t.Errorf("no failure message found")
			}
			for _, m := range failures {
				if !ruleFirst.MatchString(m[1]) {
					t.Errorf("a failure does not start with its rule: %s", m[1])
				}
				if !pointsAt.MatchString(m[1]) {
					t.Errorf("a failure does not say what to look at: %s", m[1])
				}
			}
			if t.Failed() {
				t.Logf("the suite's output:\n%s", out)
			}
		})
	}
}

// TestBrokenSubject runs the suite on the broken subject that brokenEnv
// names; TestSuiteCatchesBrokenSources expects it to fail.
func TestBrokenSubject(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("run by TestSuiteCatchesBrokenSources")
	}
	// Some broken sources never deliver what a check waits for, and are
	// caught by the hang limit: a shorter one keeps the suite's own test
	// quick, and is still ample for the rest, which deliver at once or
	// after shortTimeout.
	hangLimit = 3 * time.Second
	TestSource(t, brokenSubjects[name].subject)
}

// stutter is a synchronous edge source: Fire reports to every registration
// before it returns. Each knob breaks it in one way, as a real source's bug
// would; times does for more than one.
type stutter struct {
	times int  // reports each firing this many times
	leak  bool // starts a goroutine per registration that Stop forgets
	// fail reports firings with Handle.Fail, which is for a source gone for
	// good: the container deletes even a persistent event once delivered.
	fail bool
	// merge keeps a flag where a count is due: once it has reported a
	// firing, it notes that more came and reports them as one at Rearm.
	merge bool
	// stopAll makes Stop end every registration, not just its own, as a
	// signal source that stops catching the signal when one event goes.
	stopAll bool
	// endWithLast makes the source dead once its last registration stops,
	// as one that starts a shared goroutine with sync.Once and ends it then.
	endWithLast bool
	// closeService makes the last Stop close the container's service
	// (Handle.Service) itself, which Close then closes a second time.
	closeService bool
	// fireAtWatch makes each registration fire by itself, as soon as it
	// is made, as a poller that takes its poll timing out for readiness
	// would; at once, so that it beats any timeout whatever the load.
	fireAtWatch bool
	// batch folds every second Fire into the one before, as a source that
	// reports what came since it last looked, in batches of two: only the
	// odd calls make a Handle.Fire.
	batch bool

	mu      sync.Mutex
	watches map[*stutterWatch]bool
	dead    bool      // endWithLast: the last registration stopped
	fired   int       // batch: how many times Fire was called
	service io.Closer // closeService: the container's, from Handle.Service
}

type stutterWatch struct {
	s        *stutter
	h        evchan.Handle
	forever  chan struct{}
	reported bool // merge: a firing was reported since Watch or Rearm
	missed   bool // merge: firings came after it
}

func (s *stutter) subject() Subject {
	return Subject{Spec: evchan.Custom(s), Fire: s.fire, Reason: evchan.Triggered, Synchronous: true}
}

// stutterService is the key of the stutter's service.
type stutterService struct{}

func (s *stutter) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w := &stutterWatch{s: s, h: h, forever: make(chan struct{})}
	if s.leak {
		go func() { <-w.forever }()
	}
	var service io.Closer
	if s.closeService {
		var err error
		service, err = h.Service(stutterService{}, func() (io.Closer, error) { return new(closeOnce), nil })
		if err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead {
		return w, nil // never fires
	}
	if s.watches == nil {
		s.watches = make(map[*stutterWatch]bool)
	}
	s.watches[w] = true
	s.service = service
	if s.fireAtWatch {
		h.Fire(evchan.Triggered, nil) // counted, and pending once Add returns
	}
	return w, nil
}

func (s *stutter) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fired++; s.batch && s.fired%2 == 0 {
		return // reported with the call before
	}
	for w := range s.watches {
		w.report()
	}
}

// report tells w's event of one firing. Handle.Fire never calls back into
// the source, so it is called with s.mu held.
func (w *stutterWatch) report() {
	if w.s.merge {
		if w.reported {
			w.missed = true
			return
		}
		w.reported = true
	}
	for range w.s.times {
		if w.s.fail {
			w.h.Fail(evchan.Triggered, nil)
		} else {
			w.h.Fire(evchan.Triggered, nil)
		}
	}
}

func (w *stutterWatch) Rearm() {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.merge && w.s.watches[w] {
		w.reported = false
		if w.missed {
			w.missed = false
			w.report()
		}
	}
}

func (w *stutterWatch) Stop() {
	s := w.s
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.watches, w)
	if s.stopAll {
		clear(s.watches)
	}
	if len(s.watches) == 0 {
		s.dead = s.endWithLast
		if s.service != nil {
			s.service.Close()
		}
	}
}

// closeOnce is a service that fails when closed twice, as an *os.File does.
type closeOnce struct{ closed atomic.Bool }

func (c *closeOnce) Close() error {
	if c.closed.Swap(true) {
		return os.ErrClosed
	}
	return nil
}
