//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

// A persistent signal event, the draft's "S": every SIGUSR1 the process
// gets is delivered, with the signal as Value.
func ExampleSignal() {
	c := evchan.New()
	defer c.Close()
	c.Add(sigs.Signal(syscall.SIGUSR1).Persistent(), "reload", 0)

	syscall.Kill(os.Getpid(), syscall.SIGUSR1) // as `kill -USR1 <pid>` would
	e := <-c.C
	fmt.Println(e.Reason, e.Data, e.Value)
	// Output: signal reload user defined signal 1
}

// One loop for work, a shutdown signal and a context. The signal events
// are deleted when the shutdown begins: from then on a second SIGINT or
// SIGTERM gets its default action and ends the program at once (R9).
func ExampleSignal_shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	c := evchan.New()
	defer c.Close()
	interrupt, _ := c.Add(sigs.Signal(os.Interrupt).Persistent(), "interrupt", 0)
	terminate, _ := c.Add(sigs.Signal(syscall.SIGTERM).Persistent(), "terminate", 0)
	c.Add(evchan.Timer(time.Second).Persistent(), "work", 0)

	for {
		select {
		case e := <-c.C:
			if e.Reason == evchan.Signal {
				c.Del(interrupt)
				c.Del(terminate)
				fmt.Println("shutting down on", e.Value)
				return // and finish the work in flight
			}
			fmt.Println("working")
		case <-ctx.Done():
			fmt.Println("out of time")
			return
		}
	}
}
