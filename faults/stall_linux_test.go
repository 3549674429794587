//go:build linux

package faults_test

import (
	"context"
	"errors"
	"iter"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// A stalled consumer: a container holds N descriptors with data pending and
// M persistent 1 ms timers, and nobody receives for a while. The container
// must then cost nothing (R3: pending work is bounded by the number of
// events, never by the rate of their sources: a pending timer stays out of
// the deadline heap, a reported descriptor is not polled again until its
// event is taken), and once a consumer resumes, every ready descriptor must
// be delivered within a bounded number of deliveries (R4).
//
// The bound: the container has its pollers look every 64 deliveries
// (evchan.Prober), and a look drains the kernel's whole ready list
// (poll/run.go's pollAll), so every ready descriptor is pending by the
// 64th delivery after the resumption, and FIFO puts at most N+M-1 events
// ahead of it (each event is in the queue once at most): every descriptor
// event is delivered within N+M+64 deliveries. A poller with W > 64 events
// reported and not yet taken looks once every W deliveries instead (R4),
// W at most N here: the bound checked is N+M+max(64, N). A loop over All reaches the
// bound exactly: its probe fires the descriptors from the loop's goroutine
// while the supervisor puts back the timers delivered meanwhile, so the 64
// timers of the first deliveries come back among the descriptors. When
// receiving from C, the supervisor probes itself, and those timers mostly
// come after them. A loop whose body stalls (it took one event, and has not
// asked for the next) is the same stall on the All path: the loop runs, so
// the supervisor offers nothing on C and leaves the deadlines to the loop,
// and nobody waits in the kernel for it; the same bound holds, counted from
// the loop's first delivery.
// Without those looks, a poller that reported one batch of 256 descriptors
// and waited until all of them were taken would put each batch at the back
// of a queue of 100,000 timers re-armed after each delivery: 10,000
// descriptors would take millions of deliveries.

// The parameters of TestStalledConsumer.
const (
	// stallWindow is how long nobody receives while the CPU time and the
	// heap are measured. Idle, the process uses about 1% of it.
	stallWindow = 300 * time.Millisecond
	// stallQuiet is the window in which setup must be seen done, by the
	// process using less than a tenth of it, before stallWindow starts.
	stallQuiet = 50 * time.Millisecond
	// stallSettleLimit bounds the wait for setup to settle. It only catches
	// a process that never goes quiet: a spin.
	stallSettleLimit = 30 * time.Second
	// stallHangLimit bounds the resumed consumer's whole run. It only
	// catches hangs: the deliveries take a few seconds under -race.
	stallHangLimit = 2 * time.Minute
	// stallHeapBound is how much the heap may grow while the consumer
	// stalls: nothing is allocated per tick or per poll.
	stallHeapBound = 1 << 20
	// stallPeriod is the interval of every timer.
	stallPeriod = time.Millisecond
	// stallProbeEvery is evchan's probeEvery: the pollers look every 64
	// deliveries (evchan.Prober).
	stallProbeEvery = 64
	// stallFdMargin is how many descriptors are left free, beyond those
	// open before the test, for the pollers and the runtime.
	stallFdMargin = 64
	// stallMaxReports bounds the failures reported per run; the rest are
	// only counted.
	stallMaxReports = 10
)

// The figures of each backend: for epoll, 10,000 descriptors and 100,000
// timers, the stall the suite is to survive. poll(2) passes the
// whole list of descriptors to the kernel, which scans it, at every poll,
// and the container has the poller look every 64 deliveries: with the
// same figures, (10,000 + 100,000) / 64 = 1,700 looks at 10,000
// descriptors each, some 17 million descriptors scanned by the kernel per
// run, plus as many by the poller, which takes too long under -race. A
// tenth of each keeps the same ratio of timers to descriptors.
var stallBackends = []struct {
	name      string
	b         poll.Backend
	fds, tick int // descriptors, timers
}{
	{"epoll", poll.Default, 10_000, 100_000},
	{"poll(2)", poll.Portable, 1_000, 10_000},
}

// How the consumer of TestStalledConsumer stalls and resumes, the name of
// each subtest.
const (
	// stallC: nobody receives from C; the consumer resumes receiving.
	stallC = "C"
	// stallAll: no loop runs while the consumer stalls (the supervisor has
	// offered an event on C, which nobody receives); it resumes with a
	// loop over All.
	stallAll = "All"
	// stallAllBody: a loop over All has taken its first event, and its
	// body stalls: the loop runs, so the supervisor offers nothing and
	// leaves deadlines to it, and nobody asks for the next step. The body
	// then returns, and the loop goes on.
	stallAllBody = "All-body"
)

// R3, R4, R6: a consumer that stalls with many descriptors and timers
// pending, on each path (receiving from C; a loop over All, started after
// the stall or stalled in its body) and each backend, then resumes. While
// it stalls, the process uses no CPU and the heap does not grow; once it
// resumes, every descriptor event is delivered within N+M+64 deliveries
// (counted from the first, the one before the stall for a loop stalled in
// its body), none is lost, and no timer counts more ticks than can have
// fallen.
func TestStalledConsumer(t *testing.T) {
	for _, via := range []string{stallC, stallAll, stallAllBody} {
		t.Run(via, func(t *testing.T) {
			for _, be := range stallBackends {
				t.Run(be.name, func(t *testing.T) {
					stalledConsumer(t, be.b, be.fds, be.tick, via)
				})
			}
		})
	}
}

// stallRun is the bookkeeping of one run of TestStalledConsumer. An event's
// context is its index: timers first, then descriptors.
type stallRun struct {
	t       *testing.T
	m, n    int         // timers, descriptors
	ids     []evchan.ID // by index
	fds     []int       // by descriptor index (index - m)
	added   []time.Time // when each timer was added (before its Add)
	counted []int64     // the sum of each timer's Counts

	deliveries int   // since the consumer resumed
	firstAt    []int // by descriptor index: the delivery that brought it first, 0 if none
	delivered  int   // descriptors delivered at least once
	lastFirst  int   // the delivery that brought the last descriptor first
	firstDesc  int   // the delivery that brought the first descriptor
	spurious   int   // descriptor deliveries that found nothing to read
	// interleaved counts the timer deliveries after the first
	// descriptor's, until every descriptor was delivered.
	interleaved int
	firstCount  int // the Count of the first timer delivered after the stall
	maxCount    int // the largest Count of a timer delivery
	failures    int
	buf         [8]byte
}

func (r *stallRun) fail(format string, args ...any) {
	r.t.Helper()
	if r.failures++; r.failures <= stallMaxReports {
		r.t.Errorf(format, args...)
	}
}

// take checks one delivery and does what a consumer does: reads a
// descriptor's data. It reports whether every descriptor event has been
// delivered at least once.
func (r *stallRun) take(e evchan.Event) bool {
	r.t.Helper()
	r.deliveries++
	idx, ok := e.Data.(int)
	if !ok || idx < 0 || idx >= len(r.ids) || r.ids[idx] != e.ID {
		r.fail("delivery %d: %v with context %v, which is not an event of the test", r.deliveries, e, e.Data)
		return r.delivered == r.n
	}
	if e.Err != nil || e.Last || e.Count < 1 {
		r.fail("delivery %d: %v (Last %v): a persistent event delivered with an error, as its last, or with a Count below 1", r.deliveries, e, e.Last)
	}
	if idx < r.m { // a timer
		if e.Reason != evchan.Timeout {
			r.fail("delivery %d: timer %d delivered with reason %v, want timeout", r.deliveries, idx, e.Reason)
		}
		if r.firstCount == 0 {
			r.firstCount = e.Count
		}
		r.maxCount = max(r.maxCount, e.Count)
		if r.delivered > 0 {
			r.interleaved++
		}
		// R6: no tick before its deadline. Ticks fall every stallPeriod
		// from the timer's Add, and its Event was made before this
		// receive.
		r.counted[idx] += int64(e.Count)
		if fallen := int64(time.Since(r.added[idx]) / stallPeriod); r.counted[idx] > fallen {
			r.fail("delivery %d: timer %d counted %d ticks in all, but only %d can have fallen since it was added (R6)", r.deliveries, idx, r.counted[idx], fallen)
		}
		return r.delivered == r.n
	}
	d := idx - r.m
	if e.Reason != evchan.Readable {
		r.fail("delivery %d: descriptor %d delivered with reason %v, want readable", r.deliveries, d, e.Reason)
	}
	// Read the eventfd's counter back to zero, so that it is not reported
	// again for the same data.
	_, err := unix.Read(r.fds[d], r.buf[:])
	if r.firstAt[d] == 0 {
		if err != nil {
			r.fail("delivery %d: descriptor %d delivered first, but reading its data failed: %v", r.deliveries, d, err)
		}
		r.firstAt[d] = r.deliveries
		if r.delivered++; r.delivered == 1 {
			r.firstDesc = r.deliveries
		}
		if r.delivered == r.n {
			r.lastFirst = r.deliveries
		}
	} else {
		// The poller may look again before the consumer has read (the
		// package's documentation allows it): nothing to read then.
		if err != nil && !errors.Is(err, unix.EAGAIN) {
			r.fail("delivery %d: reading descriptor %d again: %v", r.deliveries, d, err)
		}
		if err != nil {
			r.spurious++
		}
	}
	return r.delivered == r.n
}

func stalledConsumer(t *testing.T, b poll.Backend, n, m int, via string) {
	n = stallFitDescriptors(t, n)
	r := &stallRun{
		t: t, m: m, n: n,
		ids:     make([]evchan.ID, 0, n+m),
		fds:     make([]int, 0, n),
		added:   make([]time.Time, m),
		counted: make([]int64, m),
		firstAt: make([]int, n),
	}
	heapStart := stallHeap()

	// Setup. The descriptors are closed last (cleanups run in reverse),
	// after the container has deleted their events.
	t.Cleanup(func() {
		for _, fd := range r.fds {
			unix.Close(fd)
		}
	})
	c := evchan.New()
	closed := false
	t.Cleanup(func() {
		if !closed {
			c.Close()
		}
	})
	setupStart := time.Now()
	// The timers first: each ticks 1 ms after its Add and is pending from
	// then on, while the descriptors are added.
	for i := range m {
		r.added[i] = time.Now()
		id, err := c.Add(evchan.Timer(stallPeriod).Persistent(), i, 0)
		if err != nil {
			t.Fatalf("Add of timer %d: %v", i, err)
		}
		r.ids = append(r.ids, id)
	}
	timersAdded := time.Since(setupStart)
	for j := range n {
		// An eventfd whose counter is not zero is readable: one
		// descriptor each, with data pending from the start.
		fd, err := unix.Eventfd(1, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err != nil {
			t.Fatalf("eventfd %d of %d: %v", j, n, err)
		}
		r.fds = append(r.fds, fd)
		id, err := c.Add(b.Readable(fd).Persistent(), m+j, 0)
		if err != nil {
			t.Fatalf("Add of descriptor %d (%d): %v", j, fd, err)
		}
		r.ids = append(r.ids, id)
	}
	setup := time.Since(setupStart)
	if got := c.Len(); got != n+m {
		t.Fatalf("the container holds %d events after setup, want %d", got, n+m)
	}

	// A loop stalled in its body: it takes its first event now, and the
	// body holds on to it through the stall. hang ends the loop once it
	// resumes, if it takes longer than stallHangLimit.
	var (
		next     func() (evchan.Event, bool)
		stopLoop func()
	)
	ctx, hang := context.WithCancel(context.Background())
	defer hang()
	if via == stallAllBody {
		next, stopLoop = iter.Pull(c.AllContext(ctx, evchan.Block))
		defer stopLoop()
		e, ok := next()
		if !ok {
			t.Fatal("the loop's first step reported no event")
		}
		r.take(e)
	}

	// The stall. Setup is done, the timers' first ticks fallen and the
	// first poll made, once the process goes quiet.
	quiet := stallSettle(t)
	heapBefore := stallHeap()
	cpuBefore := stallCPU(t)
	start := time.Now()
	time.Sleep(stallWindow) // a measuring window: nobody receives
	used, wall := stallCPU(t)-cpuBefore, time.Since(start)
	heapAfter := stallHeap()
	t.Logf("%v, %d descriptors and %d persistent %v timers: setup took %v (timers %v); quiet after %v; the setup's heap: %d KiB (%d bytes an event)",
		b, n, m, stallPeriod, setup.Round(time.Millisecond), timersAdded.Round(time.Millisecond), quiet.Round(time.Millisecond),
		(int64(heapBefore)-int64(heapStart))>>10, (int64(heapBefore)-int64(heapStart))/int64(n+m))
	t.Logf("stalled %v: the process used %v of CPU (%.1f%%); the heap went from %d to %d KiB (%+d bytes)",
		wall.Round(time.Millisecond), used, 100*float64(used)/float64(wall), heapBefore>>10, heapAfter>>10, int64(heapAfter)-int64(heapBefore))
	if used > wall/10 {
		t.Errorf("the process used %v of CPU in %v while the consumer stalled, with %d timers and %d descriptors pending: a stalled consumer must cost nothing (R3)", used, wall, m, n)
	}
	if growth := int64(heapAfter) - int64(heapBefore); growth > stallHeapBound {
		t.Errorf("the heap grew by %d bytes in %v while the consumer stalled, want at most %d: pending work must be bounded by the number of events, not by time (R3)", growth, wall, stallHeapBound)
	}

	// The resumption.
	resumed := time.Now()
	switch via {
	case stallAllBody:
		limit := time.AfterFunc(stallHangLimit, hang)
		for {
			e, ok := next()
			if !ok || r.take(e) {
				break
			}
		}
		limit.Stop()
		stopLoop()
	case stallAll:
		limit := time.AfterFunc(stallHangLimit, hang)
		for e := range c.AllContext(ctx, evchan.Block) {
			if r.take(e) {
				break
			}
		}
		limit.Stop()
	default:
		limit := time.NewTimer(stallHangLimit)
		for done := false; !done; {
			select {
			case e, ok := <-c.C:
				if !ok {
					t.Fatalf("C closed after %d deliveries", r.deliveries)
				}
				done = r.take(e)
			case <-limit.C:
				done = true
			}
		}
		limit.Stop()
	}
	took := time.Since(resumed)
	if r.failures > stallMaxReports {
		t.Errorf("%d more failures like these", r.failures-stallMaxReports)
	}
	if r.delivered < n {
		missing := []int{}
		for d, at := range r.firstAt {
			if at == 0 && len(missing) < 10 {
				missing = append(missing, d)
			}
		}
		t.Fatalf("after %d deliveries in %v, %d of %d descriptor events were never delivered (the first: %v)", r.deliveries, took, n-r.delivered, n, missing)
	}

	// The timers' counts, against the ticks that can have fallen
	// (informational: the Counts are checked at each delivery).
	var counted, fallen int64
	for i := range m {
		counted += r.counted[i]
		fallen += int64(time.Since(r.added[i]) / stallPeriod)
	}
	t.Logf("resumed (%s): every descriptor delivered within %d deliveries (bound N+M+max(%d, N) = %d), in %v; the first descriptor came at delivery %d, %d timer deliveries among the descriptors; %d deliveries found nothing to read; the first timer delivered counted %d ticks, the most %d; the timers counted %d ticks of the %d fallen (%.1f%%)",
		map[string]string{stallC: "receiving from C", stallAll: "a loop over All", stallAllBody: "the loop's body returned"}[via],
		r.lastFirst, stallProbeEvery, n+m+max(stallProbeEvery, n), took.Round(time.Millisecond), r.firstDesc, r.interleaved, r.spurious,
		r.firstCount, r.maxCount, counted, fallen, 100*float64(counted)/float64(max(fallen, 1)))
	// R4: pending within max(64, W) deliveries, W the poller's events
	// reported and not yet taken (at most N), then FIFO.
	if bound := n + m + max(stallProbeEvery, n); r.lastFirst > bound {
		t.Errorf("the last descriptor event was first delivered at delivery %d after the consumer resumed, want at most N+M+max(%d, N) = %d (R4: every ready descriptor is pending within max(%d, W) deliveries, then FIFO)",
			r.lastFirst, stallProbeEvery, bound, stallProbeEvery)
	}
	if got := c.Len(); got != n+m {
		t.Errorf("the container holds %d events after the deliveries, want its %d persistent ones (R1)", got, n+m)
	}
	closeStart := time.Now()
	closed = true
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, ok := <-c.C; ok {
		t.Errorf("C delivered an event after Close, want it closed (R12)")
	}
	t.Logf("Close took %v", time.Since(closeStart).Round(time.Millisecond))
}

// stallFitDescriptors returns how many descriptors of the n wanted the
// process can open: its soft limit of open files raised to the hard limit
// (for the rest of the process: the Go runtime raises it so at start-up
// already), less what is open and a margin. It logs a number scaled down.
func stallFitDescriptors(t *testing.T, n int) int {
	t.Helper()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
			t.Logf("raising the soft limit of open files to %d: %v", lim.Max, err)
			unix.Getrlimit(unix.RLIMIT_NOFILE, &lim)
		}
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	room := int64(lim.Cur) - int64(len(entries)) - stallFdMargin
	if room >= int64(n) {
		return n
	}
	if room < stallProbeEvery {
		t.Skipf("the limit of open files (%d, %d open) leaves room for %d descriptors only", lim.Cur, len(entries), room)
	}
	t.Logf("the limit of open files (%d, %d open) leaves room for %d descriptors: scaled down from %d", lim.Cur, len(entries), room, n)
	return int(room)
}

// stallSettle waits until the process uses less than a tenth of a window of
// stallQuiet: setup is done then, every timer pending and the first poll
// made. It fails the test if the process never goes quiet. It returns how
// long it waited.
func stallSettle(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		// The setup's garbage and the memory an earlier run freed, so that
		// neither a collection nor the runtime's return of memory to the
		// system (its background scavenger, which can take a few percent
		// of the window after a run of the epoll figures) is measured.
		debug.FreeOSMemory()
		before, from := stallCPU(t), time.Now()
		time.Sleep(stallQuiet) // a measuring window, not a wait for an event
		used, wall := stallCPU(t)-before, time.Since(from)
		if used < wall/10 {
			return time.Since(start)
		}
		if time.Since(start) > stallSettleLimit {
			t.Fatalf("the process still used %v of CPU in %v, %v after setup, with nobody receiving: it spins", used, wall, time.Since(start))
		}
	}
}

// stallCPU returns the CPU time the process has used.
func stallCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// stallHeap returns the bytes of live heap, after a collection.
func stallHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
