//go:build !unix

package main

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// read reads what the client's connection holds, waiting at most a
// millisecond: without read(2) the server uses a short deadline instead (see
// read_unix.go). Package poll does not watch descriptors on these systems
// yet, so this is only here for the program to build.
func (cl *client) read() (int, error) {
	cl.conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	n, err := cl.conn.Read(cl.buf[:])
	if n == 0 && errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, syscall.EAGAIN
	}
	return n, err
}
