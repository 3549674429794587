//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// hangLimit bounds every wait of the tests. It only catches hangs: a signal
// reaches its events in microseconds.
const hangLimit = 10 * time.Second

// testSignals are the signals the tests send to their own process.
var testSignals = []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP, syscall.SIGWINCH}

// observers has a channel registered with signal.Notify for each test
// signal, for the whole test process (but not in a child, which must see
// default actions). It keeps the test binary alive whatever the code under
// test does with dispositions, and it tells send when os/signal has relayed
// an arrival.
var observers = map[syscall.Signal]chan os.Signal{}

func init() {
	setUp = append(setUp, func() {
		if os.Getenv(childEnv) != "" {
			return
		}
		for _, s := range testSignals {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, s)
			observers[s] = ch
		}
	})
}

// send sends sig to the process and returns once os/signal has relayed it
// to every channel registered for it, relay channels included. So the next
// send is a separate arrival: neither the kernel nor the runtime merges it
// with this one.
func send(t testing.TB, sig syscall.Signal) {
	t.Helper()
	obs := observers[sig]
	select {
	case <-obs: // an earlier arrival no one waited for
	default:
	}
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatalf("kill: %v", err)
	}
	select {
	case <-obs:
	case <-time.After(hangLimit):
		t.Fatalf("%v sent to the process never reached os/signal within %v", sig, hangLimit)
	}
}

// relayHook makes each relay report every arrival it has handed to its
// events, for the duration of the test.
func relayHook(t *testing.T) <-chan os.Signal {
	ch := make(chan os.Signal, 1024)
	hook := func(s os.Signal) {
		select {
		case ch <- s:
		default:
		}
	}
	testHookRelayed.Store(&hook)
	t.Cleanup(func() { testHookRelayed.Store(nil) })
	return ch
}

// fire sends sig and returns once the relays of n containers have handed it
// to every event watching it: Handle.Fire has been called for each, so the
// firing is counted before anything is received.
func fire(t *testing.T, hook <-chan os.Signal, sig syscall.Signal, n int) {
	t.Helper()
	send(t, sig)
	for n > 0 {
		select {
		case s := <-hook:
			if s == sig {
				n--
			}
		case <-time.After(hangLimit):
			t.Fatalf("%v was not relayed to the events of %d more container(s) within %v", sig, n, hangLimit)
		}
	}
}

// next receives c's next event, waiting at most hangLimit.
func next(t *testing.T, c *evchan.Container, waitingFor string) evchan.Event {
	t.Helper()
	select {
	case e, ok := <-c.C:
		if !ok {
			t.Fatalf("C closed while waiting for %s", waitingFor)
		}
		return e
	case <-time.After(hangLimit):
		t.Fatalf("nothing within %v while waiting for %s", hangLimit, waitingFor)
	}
	return evchan.Event{}
}

// drain returns the events pending in c: it adds a sentinel and receives
// until it, since pending events come in order (R4). That is how the tests
// see that something is absent.
func drain(t *testing.T, c *evchan.Container) []evchan.Event {
	t.Helper()
	sentinel, err := c.Once("sentinel")
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	var before []evchan.Event
	for {
		e := next(t, c, "the sentinel (R4)")
		if e.ID == sentinel {
			return before
		}
		before = append(before, e)
	}
}

// none fails if anything is pending in c (R4, with drain).
func none(t *testing.T, c *evchan.Container, why string) {
	t.Helper()
	for _, e := range drain(t, c) {
		t.Errorf("got %v (context %v, value %v): %s", e, e.Data, e.Value, why)
	}
}

func mustAdd(t *testing.T, c *evchan.Container, spec evchan.Spec, ctx any) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, 0)
	if err != nil {
		t.Fatalf("Add(%v): %v", spec, err)
	}
	return id
}

// wantSignal checks a delivery of id for sig with count arrivals.
func wantSignal(t *testing.T, e evchan.Event, id evchan.ID, sig syscall.Signal, count int) {
	t.Helper()
	if e.ID != id || e.Reason != evchan.Signal || e.Count != count || e.Value != sig || e.Source != sig || e.Err != nil {
		t.Fatalf("got %v source=%v value=%v, want event %d signal count=%d source=value=%v", e, e.Source, e.Value, id, count, sig)
	}
}

// relays counts the relay goroutines of the process, waiting up to
// hangLimit for it to become want (a relay's goroutine ends just after it
// says so), and fails if it does not.
func wantRelays(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(hangLimit)
	for {
		n := relayCount()
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d relay goroutines, want %d", n, want)
		}
		time.Sleep(time.Millisecond)
	}
}
