// Dispatch runs the three strategies of package dispatch side by side on the
// same small workload and prints what each did.
//
//	go run ./examples/dispatch
//
// The workload: six jobs, each a one-shot event whose handler works for
// -work (100ms by default), and a persistent "done" event that every job
// triggers when it ends; its handler counts the jobs and deletes itself
// after the sixth, which leaves the container empty and ends the loop
// (R13). What each strategy shows:
//
//   - Run handles one event at a time in the caller's goroutine: the jobs
//     take six times -work.
//   - Goroutines(3) runs three jobs at once: twice -work.
//   - Pool(2) runs two at once on two workers: three times -work.
//
// In all three the "done" event is never handled twice at once, and the
// triggers that came while it was pending are coalesced into one delivery
// whose Count says how many (R3), so that the Counts add up to the six
// triggers. With Run, "done" is delivered once with Count 6: it becomes
// pending after the jobs, which are delivered first (R4). The concurrent
// strategies take no more events while all their handlers are busy, so
// triggers wait in the container and coalesce too; how many deliveries
// they make of "done" depends on the scheduling of goroutines (-v shows
// it). On a busy machine the timings vary as well.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
)

func main() {
	work := flag.Duration("work", 100*time.Millisecond, "how long a job takes")
	verbose := flag.Bool("v", false, "also say how many deliveries the triggers of \"done\" were coalesced into")
	flag.Parse()
	if err := compare(context.Background(), os.Stdout, *work, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "dispatch:", err)
		os.Exit(1)
	}
}

const jobs = 6

// compare runs the workload under each strategy and prints a line for each.
// With verbose, it also says how many deliveries of "done" the triggers were
// coalesced into, which depends on how the goroutines were scheduled.
func compare(ctx context.Context, out io.Writer, work time.Duration, verbose bool) error {
	strategies := []struct {
		name string
		run  func(context.Context, *evchan.Container) error
	}{
		{"Run", func(ctx context.Context, c *evchan.Container) error { return dispatch.Run(ctx, c) }},
		{"Goroutines(3)", func(ctx context.Context, c *evchan.Container) error { return dispatch.Goroutines(ctx, c, 3) }},
		{"Pool(2)", func(ctx context.Context, c *evchan.Container) error { return dispatch.Pool(ctx, c, 2) }},
	}
	for _, s := range strategies {
		r, err := workload(ctx, work, s.run)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(out, "%-14s %d jobs in %v, at most %d at once; \"done\" counted %d triggers, %s\n",
			s.name+":", r.jobs, r.took.Round(work/10), r.most, r.triggers, overlapWord(r.overlapped))
		if verbose {
			fmt.Fprintf(out, "%-14s \"done\" was delivered %d times\n", "", r.deliveries)
		}
	}
	return nil
}

func overlapWord(b bool) string {
	if b {
		return "TWICE AT ONCE"
	}
	return "never twice at once"
}

type result struct {
	jobs, most, deliveries, triggers int
	took                             time.Duration
	overlapped                       bool
}

// workload fills a container with the jobs and the "done" event and runs it
// with run.
func workload(ctx context.Context, work time.Duration, run func(context.Context, *evchan.Container) error) (result, error) {
	c := evchan.New()
	defer c.Close()
	var (
		r                result
		mu               sync.Mutex
		running, inDone  atomic.Int32
		finished, counts int
	)
	done, err := c.Add(evchan.Virtual(false).Persistent(), func(e evchan.Event) {
		if inDone.Add(1) > 1 {
			r.overlapped = true
		}
		defer inDone.Add(-1)
		// No lock for finished and counts: this handler never runs twice at
		// once (per-ID order, in every strategy).
		r.deliveries++
		counts += e.Count
		finished += e.Count
		if finished == jobs {
			c.Del(e.ID) // the container is now empty: the loop ends (R13)
		}
	}, 0)
	if err != nil {
		return r, err
	}
	for range jobs {
		if _, err := c.Once(func(evchan.Event) {
			n := int(running.Add(1))
			mu.Lock()
			r.most = max(r.most, n)
			mu.Unlock()
			time.Sleep(work)
			running.Add(-1)
			mu.Lock()
			r.jobs++
			mu.Unlock()
			c.Trigger(done)
		}); err != nil {
			return r, err
		}
	}
	start := time.Now()
	err = run(ctx, c)
	r.took = time.Since(start)
	r.triggers = counts
	return r, err
}
