//go:build unix

package main

import (
	"runtime"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// BenchmarkIdleReadableMemory reports the heap that evchan and its poller
// keep per idle persistent readable event (B/event): 5,000 socket pairs, one
// poll.Readable(fd).Persistent() event on each read end, nothing readable.
// The fds are ints, as in the chain workload, and the context is nil, so
// only what evchan holds is counted. Target: at most 256 B/event.
//
//	go test -run='^$' -bench=IdleReadableMemory ./cmd/evbench
func BenchmarkIdleReadableMemory(b *testing.B) {
	const n = 5000
	if err := raiseFileLimit(2*n + 64); err != nil {
		b.Skip(err)
	}
	p, err := openPairs(n)
	if err != nil {
		b.Fatal(err)
	}
	defer p.close()
	var perEvent float64
	for b.Loop() {
		before := heapAfterGC()
		c := evchan.New()
		for _, fd := range p.r {
			if _, err := c.Add(poll.Readable(fd).Persistent(), nil, 0); err != nil {
				b.Fatal(err)
			}
		}
		after := heapAfterGC()
		perEvent = float64(int64(after)-int64(before)) / n
		runtime.KeepAlive(c)
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(perEvent, "B/event")
}

func heapAfterGC() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
