package serve

import (
	"fmt"
	"hash/maphash"
)

// A Balance says which loop serves each accepted connection, as gnet's
// load-balancing options do.
type Balance uint8

const (
	// LeastConnections gives a connection to the loop that serves the
	// fewest at that moment: the default, which keeps loops even when
	// connections come and go at different rates.
	LeastConnections Balance = iota
	// RoundRobin gives connections to the loops in turn.
	RoundRobin
	// SourceAddrHash gives a connection to the loop a hash of the client's
	// address and port picks, as gnet's SourceAddrHashing does: evenly
	// spread over many clients, and the same loop for the same address.
	SourceAddrHash
)

// String names the policy as its constant does.
func (b Balance) String() string {
	switch b {
	case LeastConnections:
		return "LeastConnections"
	case RoundRobin:
		return "RoundRobin"
	case SourceAddrHash:
		return "SourceAddrHash"
	}
	return fmt.Sprintf("Balance(%d)", uint8(b))
}

// addrSeed keys the source hash; fixed for the process, so that an address
// always picks the same loop.
var addrSeed = maphash.MakeSeed()

// balancer picks loops for the acceptor, on the acceptor's goroutine only.
type balancer struct {
	policy Balance
	loops  []*loop
	turn   int // RoundRobin's next loop, and LeastConnections' first to look at
}

// pick returns the loop for a connection from addr (the client's address
// bytes, for SourceAddrHash), and counts the connection there at once, so
// that a burst of connections accepted before any is adopted spreads
// evenly under LeastConnections.
func (b *balancer) pick(addr []byte) *loop {
	n := len(b.loops)
	var l *loop
	switch b.policy {
	case RoundRobin:
		l = b.loops[b.turn%n]
		b.turn++
	case SourceAddrHash:
		l = b.loops[maphash.Bytes(addrSeed, addr)%uint64(n)]
	default:
		// Ties go to the loop after the last one chosen, so that equal
		// loops take turns rather than the first taking every tie.
		b.turn++
		best := b.loops[b.turn%n]
		for i := 1; i < n; i++ {
			if c := b.loops[(b.turn+i)%n]; c.conns.Load() < best.conns.Load() {
				best = c
			}
		}
		l = best
	}
	l.conns.Add(1)
	return l
}
