//go:build unix

package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/unix"
)

func init() {
	registerChain(chainImpl{
		name:     "evchan-pool",
		doc:      "as evchan, with events taken from c.C by one consumer goroutine per processor (GOMAXPROCS), as a Go server would",
		timeouts: true,
		open:     openEvchanPoolChain,
	})
}

// evchanPoolChain is the workload as a Go server that wants every processor
// writes it with evchan: the same container and events as evchanChain, and
// a pool of consumers receiving from c.C, each doing bench.c's read_cb for
// the events it takes. Several pairs' reads and writes then run in
// parallel, as in the goroutines implementation, whose counters it shares:
// atomics.
//
// A persistent read event is re-armed as soon as a consumer takes it, before
// that consumer has read: with several consumers another may be handed the
// same readiness and find nothing to read. Such reads are counted as
// spurious wake-ups and forward nothing, as in the other implementations.
type evchanPoolChain struct {
	cfg   chainConfig
	pairs *socketPairs
	c     *evchan.Container
	wg    sync.WaitGroup

	writes   atomic.Int64 // forwards left
	count    atomic.Int64 // bytes read
	spurious atomic.Int64
	// finished gets one value per run: nil from the consumer that read the
	// last byte, or the first error.
	finished chan error
}

func openEvchanPoolChain(cfg chainConfig) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	x := &evchanPoolChain{cfg: cfg, pairs: p, c: evchan.New(), finished: make(chan error, 1)}
	x.writes.Store(-1) // no run yet: a stray event forwards nothing
	for range runtime.GOMAXPROCS(0) {
		x.wg.Add(1)
		go x.consume()
	}
	return x, nil
}

// consume is one consumer: it takes events from c.C until Close.
func (x *evchanPoolChain) consume() {
	defer x.wg.Done()
	var buf [1]byte
	total := int64(x.cfg.events())
	for e := range x.c.C {
		switch {
		case e.Err != nil:
			x.fail(fmt.Errorf("pair %v: %w", e.Data, e.Err))
			continue
		case e.Reason != evchan.Readable:
			x.fail(fmt.Errorf("pair %v: delivered as %v", e.Data, e.Reason))
			continue
		}
		idx := e.Data.(int)
		n, err := unix.Read(x.pairs.r[idx], buf[:])
		for err == unix.EINTR {
			n, err = unix.Read(x.pairs.r[idx], buf[:])
		}
		switch {
		case err == unix.EAGAIN:
			x.spurious.Add(1)
			continue
		case err != nil:
			x.fail(fmt.Errorf("read from pair %d: %w", idx, err))
			continue
		case n == 0:
			x.fail(fmt.Errorf("read from pair %d: end of file", idx))
			continue
		}
		if x.writes.Add(-1) >= 0 {
			next := (idx + 1) % x.cfg.pairs
			if _, err := unix.Write(x.pairs.w[next], oneByte); err != nil {
				x.fail(fmt.Errorf("write to pair %d: %w", next, err))
				continue
			}
		}
		if x.count.Add(int64(n)) == total {
			x.fail(nil)
		}
	}
}

// fail ends the run with err, or with success for nil, unless it has ended
// already: a consumer never blocks on it.
func (x *evchanPoolChain) fail(err error) {
	select {
	case x.finished <- err:
	default:
	}
}

// prepare deletes every event and adds it anew, as evchanChain does.
func (x *evchanPoolChain) prepare() error { return addReadEvents(x.c, x.pairs, x.cfg) }

func (x *evchanPoolChain) run() (chainRun, error) {
	x.count.Store(0)
	x.spurious.Store(0)
	x.writes.Store(int64(x.cfg.writes))
	start := time.Now()
	space := x.cfg.pairs / x.cfg.active
	for i := range x.cfg.active {
		if _, err := unix.Write(x.pairs.w[i*space], oneByte); err != nil {
			return chainRun{}, fmt.Errorf("write to pair %d: %w", i*space, err)
		}
	}
	if err := <-x.finished; err != nil {
		return chainRun{}, err
	}
	elapsed := time.Since(start)
	x.writes.Store(-1)
	return chainRun{elapsed: elapsed, read: int(x.count.Load()), spurious: int(x.spurious.Load())}, nil
}

func (x *evchanPoolChain) close() error {
	err := x.c.Close() // ends the consumers' range over c.C
	x.wg.Wait()
	if perr := x.pairs.close(); err == nil {
		err = perr
	}
	return err
}
