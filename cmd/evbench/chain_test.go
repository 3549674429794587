//go:build unix

package main

import (
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/evchan/evchan/poll"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestChain runs every Go implementation of the chain workload on a tiny
// ring and checks that each run read every byte written, so that a broken
// benchmark fails CI rather than printing fast nonsense. goleak (TestMain)
// checks that each one ends the goroutines it started.
func TestChain(t *testing.T) {
	cases := []struct {
		name string
		cfg  chainConfig
	}{
		{"evchan", chainConfig{impl: "evchan"}},
		{"evchan-t", chainConfig{impl: "evchan", timeout: defaultTimeout}},
		{"evchan-poll", chainConfig{impl: "evchan", backend: poll.Portable}},
		{"evchan-all", chainConfig{impl: "evchan-all"}},
		{"evchan-all-t", chainConfig{impl: "evchan-all", timeout: defaultTimeout}},
		{"evchan-pool", chainConfig{impl: "evchan-pool"}},
		{"evchan-pool-t", chainConfig{impl: "evchan-pool", timeout: defaultTimeout}},
		{"goroutines", chainConfig{impl: "goroutines"}},
		{"goroutines-t", chainConfig{impl: "goroutines", timeout: defaultTimeout}},
		{"epoll", chainConfig{impl: "epoll"}},
		{"epoll-oneshot", chainConfig{impl: "epoll-oneshot"}},
		{"epoll-handoff", chainConfig{impl: "epoll-handoff"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := findChainImpl(tc.cfg.impl); !ok {
				t.Skipf("no %s on this system", tc.cfg.impl)
			}
			cfg := tc.cfg
			cfg.pairs, cfg.active, cfg.writes, cfg.runs = 10, 2, 50, 3
			runs, err := measureChain(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != cfg.runs {
				t.Fatalf("%d runs, want %d", len(runs), cfg.runs)
			}
			for i, r := range runs {
				if r.read != cfg.events() {
					t.Errorf("run %d read %d bytes, want %d", i, r.read, cfg.events())
				}
				if r.elapsed <= 0 || r.elapsed > time.Minute {
					t.Errorf("run %d took %v", i, r.elapsed)
				}
			}
			t.Log(summarize(cfg, runs))
		})
	}
}

// TestChainRefusesBadInput checks the arithmetic bench.c relies on.
func TestChainRefusesBadInput(t *testing.T) {
	for _, cfg := range []chainConfig{
		{impl: "evchan", pairs: 0, active: 1, runs: 1},
		{impl: "evchan", pairs: 10, active: 11, runs: 1},
		{impl: "evchan", pairs: 10, active: 1, writes: -1, runs: 1},
		{impl: "nonesuch", pairs: 10, active: 1, runs: 1},
		{impl: "no-timeouts", pairs: 10, active: 1, runs: 1, timeout: time.Second},
	} {
		if _, err := measureChain(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// Every implementation gives its events timeouts (-t), as chain.sh's rows
// need; one that could not is refused -t (the "no-timeouts" case above, a
// stub registered for the test).
func init() {
	registerChain(chainImpl{name: "no-timeouts", doc: "a test stub without -t", open: func(chainConfig) (chainRunner, error) {
		return nil, fmt.Errorf("the no-timeouts stub does not run")
	}})
}
