//go:build linux

package poll_test

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// openFiles counts the process's open descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	return len(ents)
}

// raiseNofile makes room for n more open descriptors, raising the soft
// RLIMIT_NOFILE up to the hard one for the test, or skips the test if the
// hard limit is too low.
func raiseNofile(t *testing.T, n int) {
	t.Helper()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	need := uint64(openFiles(t) + n)
	if lim.Max < need {
		t.Skipf("RLIMIT_NOFILE hard limit %d, the test needs %d", lim.Max, need)
	}
	if lim.Cur >= need {
		return
	}
	old := lim
	lim.Cur = lim.Max
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
			t.Errorf("restoring RLIMIT_NOFILE: %v", err)
		}
	})
}

// 9,900 socket pairs in one container, each with a persistent R: a byte
// written to 100 of them, chosen at random, makes exactly those 100
// events fire (R3, R4: nothing else, none lost); then Close releases
// everything (R12).
func TestScaleManySocketpairs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		const pairs, written = 9900, 100
		raiseNofile(t, 2*pairs+16) // the pairs, the container's poller, probes
		start := time.Now()
		socks := make([][2]int, 0, pairs)
		t.Cleanup(func() {
			for _, p := range socks {
				unix.Close(p[0])
				unix.Close(p[1])
			}
		})
		for range pairs {
			p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatalf("socketpair %d: %v", len(socks), err)
			}
			socks = append(socks, p)
		}
		c := evchan.New()
		defer c.Close()
		fdOfID := make(map[evchan.ID]int, pairs)
		ids := make([]evchan.ID, pairs)
		for i, p := range socks {
			ids[i] = add(t, c, b.Readable(p[0]).Persistent(), i, 0)
			fdOfID[ids[i]] = p[0]
		}
		added := time.Now()

		seed := uint64(time.Now().UnixNano())
		rng := rand.New(rand.NewPCG(seed, 0))
		chosen := map[evchan.ID]bool{}
		for _, i := range rng.Perm(pairs)[:written] {
			chosen[ids[i]] = true
			writeByte(t, socks[i][1])
		}
		seen := map[evchan.ID]bool{}
		check := func(e evchan.Event) {
			t.Helper()
			if !chosen[e.ID] || e.Reason != evchan.Readable || e.Err != nil {
				t.Fatalf("got %v (pair %v), not one of the %d written to (seed %d)", e, e.Data, written, seed)
			}
			n := readNB(t, fdOfID[e.ID], 8)
			switch {
			case n == 1 && !seen[e.ID]:
				seen[e.ID] = true
			case n == 0 && seen[e.ID]:
				// late: the poller looked before the read (doc)
			default:
				t.Fatalf("%v (pair %v): read %d bytes, seen before: %v", e, e.Data, n, seen[e.ID])
			}
		}
		for len(seen) < written {
			check(next(t, c, "the events of the pairs written to"))
		}
		delivered := time.Now()
		for _, e := range settle(t, c, b) {
			check(e)
		}
		settled := time.Now()
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		t.Logf("%d pairs: made and added in %v, %d deliveries in %v, settled in %v, closed in %v",
			pairs, added.Sub(start), written, delivered.Sub(added), settled.Sub(delivered), time.Since(settled))
	})
}
