//go:build unix

package main

import "syscall"

// read reads what the client's socket holds, once, without waiting.
//
// net.Conn.Read would park this goroutine until data came, and a readiness
// event may be spurious (poll's documentation), so the echo server reads
// through the connection's RawConn instead: the function given to
// RawConn.Read makes one read(2) on the descriptor, which the Go runtime
// keeps non-blocking, and returns true, so that RawConn.Read never waits for
// readiness itself. A spurious event then costs one read that fails with
// EAGAIN, and no deadline has to be set and reset for every read. (The other
// way, a short read deadline on the net.Conn, works everywhere but makes a
// spurious event cost the deadline's wait.)
func (cl *client) read() (int, error) {
	var n int
	var rerr error
	err := cl.raw.Read(func(fd uintptr) bool {
		n, rerr = syscall.Read(int(fd), cl.buf[:])
		return true
	})
	if err != nil {
		return 0, err
	}
	if n < 0 {
		n = 0
	}
	return n, rerr
}
