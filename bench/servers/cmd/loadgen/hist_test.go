package main

import (
	"math"
	"testing"
	"time"
)

func TestBuckets(t *testing.T) {
	prev := -1
	for ns := uint64(0); ns < 1<<30; ns = ns*17/16 + 1 {
		i := bucketOf(ns)
		if i < prev {
			t.Fatalf("bucketOf(%d) = %d < %d", ns, i, prev)
		}
		prev = i
		if mid := bucketMid(i); math.Abs(mid-float64(ns)) > 0.04*float64(ns)+1 {
			t.Fatalf("bucketOf(%d) = %d, whose middle is %.0f", ns, i, mid)
		}
	}
	if i := bucketOf(math.MaxUint64); i != histBuckets-1 {
		t.Fatalf("bucketOf(max) = %d", i)
	}
}

func TestQuantiles(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.add(i, time.Duration(i)*time.Microsecond)
	}
	q := h.quantiles(0.5, 0.99)
	if math.Abs(q[0]-500) > 20 || math.Abs(q[1]-990) > 35 {
		t.Fatalf("p50, p99 = %v, want about 500, 990", q)
	}
}
