//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// childEnv names the scenario a re-executed test binary plays.
const childEnv = "EVCHAN_SIGS_CHILD"

// When an event stops watching a signal, the signal's default action comes
// back exactly when nothing else in the process watches it (R9). Each case
// runs in a child process, since the test process keeps its signals caught,
// and ends with the child sending itself SIGTERM, which the Go runtime's
// default action answers by killing it. The markers say how far it got
// before that: every earlier SIGTERM must have been caught.
//
// (SIGUSR1, the obvious choice, cannot show this: the Go
// runtime's default for it is to catch it and do nothing, so a Go program
// never dies of it.)
func TestDefaultActionComesBack(t *testing.T) {
	for _, tc := range []struct {
		mode    string
		markers []string
	}{
		{"del", []string{"deleted"}},
		{"oneshot", []string{"caught once"}},
		{"close", []string{"closed"}},
		{"shared", []string{"c2 caught", "own caught", "own stopped"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			out, err := runChild(t, tc.mode)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.String() != "signal: terminated" {
				t.Fatalf("child exited with %v, want \"signal: terminated\"; output:\n%s", err, out)
			}
			for _, m := range tc.markers {
				if !strings.Contains(out, m+"\n") {
					t.Errorf("the child died before saying %q; output:\n%s", m, out)
				}
			}
		})
	}
}

// runChild runs this test binary as a child playing mode, and returns its
// output and how it ended.
func runChild(t *testing.T, mode string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*hangLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestChildHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestChildHelper is the child of TestDefaultActionComesBack; it does
// nothing in a normal run.
func TestChildHelper(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("the child process of TestDefaultActionComesBack")
	}
	say := func(s string) { fmt.Println(s) }
	fail := func(format string, args ...any) {
		fmt.Printf(format+"\n", args...)
		os.Exit(3)
	}
	term := func() { syscall.Kill(os.Getpid(), syscall.SIGTERM) }
	receive := func(c *evchan.Container) evchan.Event {
		select {
		case e := <-c.C:
			return e
		case <-time.After(hangLimit):
			fail("no event within %v", hangLimit)
		}
		return evchan.Event{}
	}
	add := func(c *evchan.Container, spec evchan.Spec) evchan.ID {
		id, err := c.Add(spec, nil, 0)
		if err != nil {
			fail("Add: %v", err)
		}
		return id
	}
	persistent := Signal(syscall.SIGTERM).Persistent()

	switch mode {
	case "del": // Del of the only event: SIGTERM kills again.
		c := evchan.New()
		c.Del(add(c, persistent))
		say("deleted")
	case "oneshot": // A one-shot event catches one SIGTERM only.
		c := evchan.New()
		add(c, Signal(syscall.SIGTERM))
		term()
		if e := receive(c); e.Reason != evchan.Signal {
			fail("got %v", e)
		}
		// The signal was released before the event could be received: the
		// next SIGTERM, right after the receive, kills.
		say("caught once")
	case "close": // Close ends every event.
		c := evchan.New()
		add(c, persistent)
		add(c, Signal(syscall.SIGTERM))
		c.Close()
		say("closed")
	case "shared": // Events of two containers and other code's Notify.
		own := make(chan os.Signal, 1)
		signal.Notify(own, syscall.SIGTERM)
		c1, c2 := evchan.New(), evchan.New()
		id1 := add(c1, persistent)
		add(c2, persistent)
		c1.Del(id1)
		term()
		receive(c2)
		say("c2 caught")
		c2.Close()
		term()
		select {
		case <-own:
			say("own caught") // so Close did not undo other code's Notify
		case <-time.After(hangLimit):
			fail("own channel got nothing")
		}
		signal.Stop(own)
		say("own stopped")
	default:
		fail("unknown mode %q", mode)
	}
	term()
	// The default action kills the child in microseconds; living on to the
	// end of this wait is the failure the parent reports.
	time.Sleep(hangLimit)
	say("survived SIGTERM")
	os.Exit(0)
}

// relayCount counts the relay goroutines of the process.
func relayCount() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "sigs.(*relay).run(")
}
