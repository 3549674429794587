// Shutdown is a small server loop that stops gracefully: on SIGINT or
// SIGTERM, or when its context ends, it stops accepting work, finishes
// what is in flight, says what it did and exits 0.
//
//	go run ./examples/shutdown           # stop it with Control-C or kill
//	go run ./examples/shutdown -for 3s   # or let its context end it
//
// Everything comes through one container: a ticker brings work, each job's
// end comes back as a virtual event, and the signals are events too
// (package sigs), so the loop is a plain select on the container's channel
// and the context, the way code built on signal.NotifyContext selects on
// ctx.Done(). A second SIGINT or SIGTERM during the drain is not caught any
// more and ends the program at once, as users of command-line servers
// expect.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// run parses the flags and serves until shutdown; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shutdown", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s server
	fs.DurationVar(&s.tick, "tick", 200*time.Millisecond, "how often a job arrives")
	fs.DurationVar(&s.work, "work", 500*time.Millisecond, "how long a job takes")
	fs.IntVar(&s.workers, "workers", 4, "jobs in flight at most; a job that arrives when all are busy is turned away")
	fs.DurationVar(&s.drainLimit, "drain", 10*time.Second, "how long the drain may take before the jobs left are abandoned")
	runFor := fs.Duration("for", 0, "shut down after this long even without a signal (0: never)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if s.tick <= 0 || s.work < 0 || s.workers < 1 || s.drainLimit <= 0 {
		fmt.Fprintln(stderr, "shutdown: -tick and -drain must be positive, -work not negative, -workers at least 1")
		return 2
	}
	if *runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *runFor)
		defer cancel()
	}
	s.out = stdout
	if err := s.serve(ctx); err != nil {
		fmt.Fprintln(stderr, "shutdown:", err)
		return 1
	}
	return 0
}

// server is the loop's state. Only the loop touches it; workers report
// through the container.
type server struct {
	tick, work, drainLimit time.Duration
	workers                int
	out                    io.Writer

	c                            *evchan.Container
	ticker, interrupt, terminate evchan.ID
	inFlight                     int
	accepted, finished, refused  int
	draining                     bool
}

// finished is the data of the virtual event that reports a job's end.
type finished int

func (s *server) serve(ctx context.Context) error {
	s.c = evchan.New()
	defer s.c.Close()
	var err error
	// Persistent signal events, deleted when the drain begins: Del returns
	// only once the signal is no longer caught for them (R9), so from then
	// on a second signal gets its default action.
	if s.interrupt, err = s.c.Add(sigs.Signal(os.Interrupt).Persistent(), "interrupt", 0); err != nil {
		return err
	}
	if s.terminate, err = s.c.Add(sigs.Signal(syscall.SIGTERM).Persistent(), "terminate", 0); err != nil {
		return err
	}
	if s.ticker, err = s.c.Add(evchan.Timer(s.tick).Persistent(), "tick", 0); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "ready: pid %d, a job every %v, %d workers\n", os.Getpid(), s.tick, s.workers)

	done := ctx.Done()
	var drainLimit evchan.ID
	startDrain := func(why string) error {
		done = nil // a done context stays done: select on it once
		s.drain(why)
		drainLimit, err = s.c.Add(evchan.Timer(s.drainLimit), "drain limit", 0)
		return err
	}
	for !s.draining || s.inFlight > 0 {
		select {
		case e := <-s.c.C:
			switch e.ID {
			case s.ticker:
				s.accept(e.Count)
			case s.interrupt, s.terminate:
				if err := startDrain(fmt.Sprintf("signal %q", e.Value)); err != nil {
					return err
				}
			case drainLimit:
				return fmt.Errorf("the drain took longer than %v: %d jobs abandoned", s.drainLimit, s.inFlight)
			default:
				s.inFlight--
				s.finished++
				fmt.Fprintf(s.out, "finished job %d\n", e.Data.(finished))
			}
		case <-done:
			if err := startDrain(context.Cause(ctx).Error()); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(s.out, "drained: accepted %d, finished %d, turned away %d\n", s.accepted, s.finished, s.refused)
	return nil
}

// accept takes a job for each tick the ticker event stands for (R3: ticks
// the loop was too busy for are coalesced into one delivery), while a
// worker is free.
func (s *server) accept(ticks int) {
	for range ticks {
		if s.inFlight == s.workers {
			s.refused++
			continue
		}
		s.accepted++
		s.inFlight++
		job := s.accepted
		fmt.Fprintf(s.out, "started job %d\n", job)
		go func() {
			time.Sleep(s.work) // the job's work
			// Its end is an event of the loop: Once adds a virtual event
			// that is already triggered, with the job as its data.
			if _, err := s.c.Once(finished(job)); err != nil && !errors.Is(err, evchan.ErrClosed) {
				panic(err)
			}
		}()
	}
}

// drain stops accepting work and watching the signals. The loop goes on
// until the jobs in flight have finished.
func (s *server) drain(why string) {
	s.draining = true
	s.c.Del(s.ticker)
	s.c.Del(s.interrupt)
	s.c.Del(s.terminate)
	fmt.Fprintf(s.out, "stopping (%s): no new jobs, %d in flight\n", why, s.inFlight)
}
