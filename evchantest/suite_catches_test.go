package evchantest

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/evchan/evchan/evchan"
)

// brokenEnv names the broken subject that TestBrokenSubject runs the suite
// on, in the process TestSuiteCatchesBrokenSources starts.
const brokenEnv = "EVCHANTEST_BROKEN"

// brokenSubjects are sources that break a rule, each with what the suite's
// failure must say.
var brokenSubjects = map[string]struct {
	subject func(*testing.T) Subject
	says    string
	check   string // the subtest that catches it; Delivery if empty
}{
	"reports the wrong reason": {
		func(*testing.T) Subject {
			s := NewPulse().Subject()
			s.Reason = evchan.Readable // the Pulse fires with Triggered
			return s
		},
		"Reason is triggered, want readable",
		"",
	},
	"reports each firing twice": {
		func(*testing.T) Subject { return (&stutter{times: 2}).subject() },
		"Count is 2 after 1 firing(s), want 1",
		"",
	},
	"leaves its goroutine running": {
		func(*testing.T) Subject { return (&stutter{times: 1, leak: true}).subject() },
		"found unexpected goroutines",
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
		"the source reported a condition that no longer held when Rearm was called",
		"LoopOverAll",
	},
}

// The suite fails, saying why, for a source that breaks a rule. Each broken
// source runs in a process of its own, since a failing subtest cannot be
// run inside a passing test.
func TestSuiteCatchesBrokenSources(t *testing.T) {
	for name, broken := range brokenSubjects {
		t.Run(name, func(t *testing.T) {
			check := broken.check
			if check == "" {
				check = "Delivery"
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenSubject$/^"+check+"$", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a source that %s:\n%s", name, out)
			}
			if !strings.Contains(string(out), broken.says) {
				t.Fatalf("the suite failed a source that %s without saying %q:\n%s", name, broken.says, out)
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
	TestSource(t, brokenSubjects[name].subject)
}

// stutter is an edge source that reports each firing times times, and,
// with leak set, starts a goroutine per registration that Stop forgets.
type stutter struct {
	times   int
	leak    bool
	mu      sync.Mutex
	watches map[*stutterWatch]bool
}

type stutterWatch struct {
	s       *stutter
	h       evchan.Handle
	forever chan struct{}
}

func (s *stutter) subject() Subject {
	return Subject{Spec: evchan.Custom(s), Fire: s.fire, Reason: evchan.Triggered, Synchronous: true}
}

func (s *stutter) Watch(h evchan.Handle) (evchan.Watcher, error) {
	w := &stutterWatch{s: s, h: h, forever: make(chan struct{})}
	if s.leak {
		go func() { <-w.forever }()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watches == nil {
		s.watches = make(map[*stutterWatch]bool)
	}
	s.watches[w] = true
	return w, nil
}

func (s *stutter) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for w := range s.watches {
		for range s.times {
			w.h.Fire(evchan.Triggered, nil)
		}
	}
}

func (w *stutterWatch) Rearm() {}

func (w *stutterWatch) Stop() {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	delete(w.s.watches, w)
}
