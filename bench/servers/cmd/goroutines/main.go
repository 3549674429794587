// Command goroutines is the plain Go echo server of the benchmark: one
// goroutine per connection, blocked in Read on its own buffer and writing
// back what it read. The buffer is 64 KiB by default, the size gnet and
// nbio read into (per loop, where this server needs one per connection);
// -buf changes it. It has no loops to set: -loops is ignored.
package main

import (
	"errors"
	"flag"
	"net"
	"sync"

	"github.com/evchan/evchan/bench/servers/internal/runner"
)

func main() {
	bufSize := flag.Int("buf", 64<<10, "read buffer per connection, bytes")
	f := runner.Parse("ignored: one goroutine per connection")
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		runner.Fatal("goroutines", err)
	}
	var (
		mu     sync.Mutex
		conns  = make(map[net.Conn]struct{})
		closed bool
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			mu.Lock()
			if closed {
				mu.Unlock()
				c.Close()
				continue
			}
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Go(func() {
				defer func() {
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
					c.Close()
				}()
				buf := make([]byte, *bufSize)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						if _, err := c.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			})
		}
	})
	runner.Ready()
	runner.Wait(f.MemFile)
	ln.Close()
	mu.Lock()
	closed = true
	for c := range conns {
		c.Close()
	}
	mu.Unlock()
	wg.Wait()
}
