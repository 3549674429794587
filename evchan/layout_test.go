package evchan

import (
	"errors"
	"math"
	"testing"
	"unsafe"
)

// The entry and its extension are sized to fill a size class of Go's
// allocator (BenchmarkTimerMemory, and cmd/evbench's
// BenchmarkIdleReadableMemory): a field added to either costs 16 bytes per
// event, so it should be a choice, not an accident.
func TestEntryLayout(t *testing.T) {
	if got := unsafe.Sizeof(entry{}); got != 80 {
		t.Errorf("entry is %d bytes, want 80", got)
	}
	if got := unsafe.Sizeof(entryExt{}); got != 48 {
		t.Errorf("entryExt is %d bytes, want 48", got)
	}
}

// R3: a count that would pass the largest int32 stays there.
func TestCountSaturates(t *testing.T) {
	e := &entry{}
	e.addCount(math.MaxInt32 - 1)
	e.addCount(5)
	if e.count != math.MaxInt32 {
		t.Fatalf("count = %d, want %d", e.count, math.MaxInt32)
	}
	e.addCount(math.MaxInt64 - math.MaxInt32)
	if e.count != math.MaxInt32 {
		t.Fatalf("count = %d after a huge add, want %d", e.count, math.MaxInt32)
	}
}

// R13: NoWait compares pending sequence numbers modulo 2^32, so the order
// holds across the wrap-around.
func TestSeqAfterWraps(t *testing.T) {
	cases := []struct {
		s, t seq
		want bool
	}{
		{2, 1, true},
		{1, 2, false},
		{1, 1, false},
		{0, math.MaxUint32, true}, // just wrapped
		{math.MaxUint32, 0, false},
		{5, math.MaxUint32 - 5, true},
	}
	for _, c := range cases {
		if got := c.s.after(c.t); got != c.want {
			t.Errorf("seq(%d).after(%d) = %v, want %v", c.s, c.t, got, c.want)
		}
	}
}

// An error report stays for one delivery, keeps the latest value, and a
// value reported after it does not clear it; a new report of the same error
// value is a new report.
func TestReportOutcome(t *testing.T) {
	errA := errors.New("a")
	var x entryExt
	x.report(1, nil)
	x.report(nil, errA)
	if v, err := x.result(); v != 1 || err != errA {
		t.Fatalf("after Error: %v, %v; want 1, a", v, err)
	}
	shown := x.reportedError()
	x.report(2, nil)
	if v, err := x.result(); v != 2 || err != errA {
		t.Fatalf("after a value: %v, %v; want 2, a", v, err)
	}
	x.report(nil, errA) // reported again after the offer was made
	x.clearReport(shown)
	if _, err := x.result(); err != errA {
		t.Fatalf("a report made after the offer was cleared with it")
	}
	x.clearReport(x.reportedError())
	if v, err := x.result(); v != 2 || err != nil {
		t.Fatalf("after delivery: %v, %v; want 2, nil", v, err)
	}
}
