//go:build unix

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	registerChain(chainImpl{
		name:     "goroutines",
		doc:      "one goroutine per pair blocked in net.Conn.Read, what a Go user writes by hand (-t: SetReadDeadline before each Read)",
		timeouts: true,
		open:     openGoroutineChain,
	})
}

// goroutineChain is the workload without any event loop: each pair's read
// end is a net.Conn served by its own goroutine, and the runtime's
// netpoller does what evchan's poller does. bench.c's counters become
// atomics shared by the goroutines.
type goroutineChain struct {
	cfg  chainConfig
	r, w []net.Conn
	wg   sync.WaitGroup

	writes  atomic.Int64 // forwards left
	count   atomic.Int64 // bytes read
	closing atomic.Bool
	// finished gets one value per run: nil from the goroutine that read the
	// last byte, or the first error.
	finished chan error
}

func openGoroutineChain(cfg chainConfig) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	x := &goroutineChain{cfg: cfg, finished: make(chan error, 1)}
	// The raw pairs are only the sockets' source: net.FileConn takes a
	// duplicate of each, registered with the runtime's netpoller, and
	// fileConn closes the original.
	for i := range p.r {
		r, rerr := fileConn(p.r[i])
		w, werr := fileConn(p.w[i])
		if err = errors.Join(rerr, werr); err != nil {
			for _, c := range []net.Conn{r, w} {
				if c != nil {
					c.Close()
				}
			}
			for j := i + 1; j < len(p.r); j++ {
				unix.Close(p.r[j])
				unix.Close(p.w[j])
			}
			x.close()
			return nil, err
		}
		x.r, x.w = append(x.r, r), append(x.w, w)
	}
	x.writes.Store(-1) // no run yet: a stray byte would forward nothing
	for i := range x.r {
		x.wg.Add(1)
		go x.serve(i)
	}
	return x, nil
}

// fileConn makes a net.Conn of a socket descriptor, which it closes: the
// conn holds a duplicate.
func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "socketpair")
	defer f.Close()
	c, err := net.FileConn(f)
	if err != nil {
		return nil, fmt.Errorf("net.FileConn: %w", err)
	}
	return c, nil
}

// serve is pair i's goroutine: bench.c's read_cb in a loop of blocking reads.
func (x *goroutineChain) serve(i int) {
	defer x.wg.Done()
	var buf [1]byte
	next := x.w[(i+1)%len(x.w)]
	total := int64(x.cfg.events())
	for {
		if x.cfg.timeout > 0 {
			// A Go user's per-read timeout: re-applied before each read, as
			// evchan re-applies an event's timeout at each delivery.
			x.r[i].SetReadDeadline(time.Now().Add(x.cfg.timeout))
		}
		n, err := x.r[i].Read(buf[:])
		if err != nil {
			if !x.closing.Load() {
				x.fail(fmt.Errorf("read from pair %d: %w", i, err))
			}
			return
		}
		if x.writes.Add(-1) >= 0 {
			if _, err := next.Write(oneByte); err != nil {
				x.fail(fmt.Errorf("write to pair %d: %w", (i+1)%len(x.w), err))
				return
			}
		}
		if x.count.Add(int64(n)) == total {
			x.finished <- nil
		}
	}
}

func (x *goroutineChain) fail(err error) {
	select {
	case x.finished <- err:
	default:
	}
}

// prepare does nothing: the runtime registered each conn with its
// netpoller once, and a Go user has no registration to renew.
func (x *goroutineChain) prepare() error { return nil }

func (x *goroutineChain) run() (chainRun, error) {
	// Every goroutine is blocked in Read: the previous run read every byte.
	x.count.Store(0)
	x.writes.Store(int64(x.cfg.writes))
	start := time.Now()
	space := x.cfg.pairs / x.cfg.active
	for i := range x.cfg.active {
		if _, err := x.w[i*space].Write(oneByte); err != nil {
			return chainRun{}, fmt.Errorf("write to pair %d: %w", i*space, err)
		}
	}
	if err := <-x.finished; err != nil {
		return chainRun{}, err
	}
	elapsed := time.Since(start)
	x.writes.Store(-1)
	return chainRun{elapsed: elapsed, read: int(x.count.Load())}, nil
}

func (x *goroutineChain) close() error {
	x.closing.Store(true)
	var errs []error
	for _, c := range x.r {
		errs = append(errs, c.Close())
	}
	for _, c := range x.w {
		errs = append(errs, c.Close())
	}
	x.wg.Wait()
	return errors.Join(errs...)
}
