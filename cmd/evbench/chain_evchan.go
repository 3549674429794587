//go:build unix

package main

import (
	"fmt"
	"time"

	"github.com/evchan/evchan/evchan"
)

func init() {
	registerChain(chainImpl{
		name:     "evchan",
		doc:      "an evchan container, persistent poll.Readable events on the raw fds, events taken from c.C (-backend, -t)",
		timeouts: true,
		open:     openEvchanChain,
	})
	registerChain(chainImpl{
		name:     "evchan-all",
		doc:      "as evchan, with events taken by a loop over c.All(evchan.Block), the draft's for ... in ev(true)",
		timeouts: true,
		open:     openEvchanAllChain,
	})
}

// evchanChain is the workload as an evchan user writes it: one persistent
// readable event per pair with the pair's index as its data, and a plain
// loop receiving from c.C that does bench.c's read_cb for each event.
type evchanChain struct {
	chainState
	c *evchan.Container
}

func openEvchanChain(cfg chainConfig) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	return &evchanChain{chainState: chainState{cfg: cfg, pairs: p}, c: evchan.New()}, nil
}

// prepare deletes every event and adds it anew, as bench.c's event_del and
// event_add: with -t this also restarts every timeout.
func (x *evchanChain) prepare() error { return addReadEvents(x.c, x.pairs, x.cfg) }

// addReadEvents empties c and adds a persistent readable event for the read
// end of every pair, with the pair's index as its data.
func addReadEvents(c *evchan.Container, pairs *socketPairs, cfg chainConfig) error {
	c.Clear()
	for i, fd := range pairs.r {
		if _, err := c.Add(cfg.backend.Readable(fd).Persistent(), i, cfg.timeout); err != nil {
			return fmt.Errorf("add pair %d: %w", i, err)
		}
	}
	return nil
}

func openEvchanAllChain(cfg chainConfig) (chainRunner, error) {
	r, err := openEvchanChain(cfg)
	if err != nil {
		return nil, err
	}
	return &evchanAllChain{r.(*evchanChain)}, nil
}

// evchanAllChain is evchanChain with a loop over c.All instead of receives
// from c.C: the loop ends when the run has read every byte.
type evchanAllChain struct{ *evchanChain }

func (x *evchanAllChain) run() (chainRun, error) {
	start := time.Now()
	if err := x.kickoff(); err != nil {
		return chainRun{}, err
	}
	var err error
	for e := range x.c.All(evchan.Block) {
		if err = x.handle(e); err != nil || x.done() {
			break
		}
	}
	if err == nil && !x.done() {
		err = fmt.Errorf("the loop ended with %d of %d bytes read", x.count, x.fired)
	}
	if err != nil {
		return chainRun{}, err
	}
	return x.result(time.Since(start)), nil
}

// handle is bench.c's read_cb for event e, which must be pair's readable.
func (x *evchanChain) handle(e evchan.Event) error {
	switch {
	case e.Err != nil:
		return fmt.Errorf("pair %v: %w", e.Data, e.Err)
	case e.Reason != evchan.Readable:
		// With -t, a timeout of 10 s firing means a byte was lost.
		return fmt.Errorf("pair %v: delivered as %v", e.Data, e.Reason)
	}
	return x.readCB(e.Data.(int))
}

func (x *evchanChain) run() (chainRun, error) {
	start := time.Now()
	if err := x.kickoff(); err != nil {
		return chainRun{}, err
	}
	for !x.done() {
		e, ok := <-x.c.C
		if !ok {
			return chainRun{}, fmt.Errorf("container closed during a run")
		}
		if err := x.handle(e); err != nil {
			return chainRun{}, err
		}
	}
	return x.result(time.Since(start)), nil
}

func (x *evchanChain) close() error {
	err := x.c.Close()
	if perr := x.pairs.close(); err == nil {
		err = perr
	}
	return err
}
