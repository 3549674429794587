package main

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// hist is a log-linear histogram of durations in nanoseconds: exact below
// 64 ns, then 32 buckets per power of two (at most 3 % off), to 2^41 ns
// (about 37 minutes). Safe for concurrent use; sharded to spread the
// atomic additions of thousands of goroutines.
type hist struct {
	shards [histShards][histBuckets]atomic.Uint64
}

const (
	histShards  = 16
	histSub     = 5 // log2 of the buckets per power of two
	histBuckets = (41-histSub)<<histSub + 1<<(histSub+1)
)

func bucketOf(ns uint64) int {
	if ns < 1<<(histSub+1) {
		return int(ns)
	}
	shift := bits.Len64(ns) - 1 - histSub
	i := shift<<histSub + int(ns>>shift)
	return min(i, histBuckets-1)
}

// bucketMid is the middle of bucket i, in nanoseconds.
func bucketMid(i int) float64 {
	if i < 1<<(histSub+1) {
		return float64(i)
	}
	shift := i>>histSub - 1
	lo := uint64(i-shift<<histSub) << shift
	return float64(lo) + float64(uint64(1)<<shift)/2
}

func (h *hist) add(shard int, d time.Duration) {
	h.shards[shard%histShards][bucketOf(uint64(max(d, 0)))].Add(1)
}

// quantiles returns the given quantiles (0 < q <= 1) in microseconds.
func (h *hist) quantiles(qs ...float64) []float64 {
	var counts [histBuckets]uint64
	var total uint64
	for s := range h.shards {
		for i := range counts {
			c := h.shards[s][i].Load()
			counts[i] += c
			total += c
		}
	}
	out := make([]float64, len(qs))
	if total == 0 {
		return out
	}
	for k, q := range qs {
		want := uint64(q*float64(total) + 0.5)
		want = max(want, 1)
		var cum uint64
		for i, c := range counts {
			cum += c
			if cum >= want {
				out[k] = bucketMid(i) / 1000
				break
			}
		}
	}
	return out
}
