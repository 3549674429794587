package main

// The Go side of each set, found by the handle its userdata holds.

import (
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/luaevent/core"
)

// cset is the Go side of one set.
type cset struct {
	core *core.Set
	h    uint32
	// guard watches SIGINT for the current loop, if it may wait.
	guard *guard
}

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
	maxChunks = 1 << 12 // 4 million sets at once
)

type chunk [chunkSize]atomic.Pointer[cset]

// sets maps handles to sets. Lookups take no lock: a handle is looked up on
// every call, registered and freed only by newset and __gc.
var sets struct {
	chunks [maxChunks]atomic.Pointer[chunk]
	mu     sync.Mutex
	free   []uint32
	next   uint32 // the next handle never used; 0 is never one
}

// closedSet answers for a set already closed: handle 0. Its container is
// closed, so add and once fail with "the event set is closed" and the
// other methods return nil, as luaevent's sets do after luaevent.Close. Its
// loop methods (Call, Next, Close) are never used: they are not safe for
// concurrent use, and every closed set shares it.
var closedSet = func() *core.Set {
	s := core.NewSet()
	s.Close()
	return s
}()

// register gives s a handle, or returns false if there are too many sets.
func register(s *cset) bool {
	sets.mu.Lock()
	defer sets.mu.Unlock()
	var h uint32
	if n := len(sets.free); n > 0 {
		h = sets.free[n-1]
		sets.free = sets.free[:n-1]
	} else {
		if sets.next == 0 {
			sets.next = 1
		}
		if sets.next >= maxChunks*chunkSize {
			return false
		}
		h = sets.next
		sets.next++
	}
	c := sets.chunks[h>>chunkBits].Load()
	if c == nil {
		c = new(chunk)
		sets.chunks[h>>chunkBits].Store(c)
	}
	s.h = h
	c[h&(chunkSize-1)].Store(s)
	return true
}

// lookup returns the set of handle h, or nil for a closed set.
func lookup(h uint32) *cset {
	if h == 0 || h >= maxChunks*chunkSize {
		return nil
	}
	c := sets.chunks[h>>chunkBits].Load()
	if c == nil {
		return nil
	}
	return c[h&(chunkSize-1)].Load()
}

// unregister frees the handle of s.
func unregister(s *cset) {
	sets.mu.Lock()
	defer sets.mu.Unlock()
	if c := sets.chunks[s.h>>chunkBits].Load(); c != nil && c[s.h&(chunkSize-1)].Load() == s {
		c[s.h&(chunkSize-1)].Store(nil)
		sets.free = append(sets.free, s.h)
	}
}
