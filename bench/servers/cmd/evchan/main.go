// Command evchan is the evchan echo server of the benchmark, written as
// package serve's documentation shows: a serve.Server whose handler writes
// back what it reads, on the loop, one container per loop.
package main

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/evchan/evchan/bench/servers/internal/runner"
	"github.com/evchan/evchan/serve"
)

func main() {
	f := runner.Parse("loops, each a container with its own goroutine (serve.Server.Loops)")
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		runner.Fatal("evchan", err)
	}
	s := &serve.Server{
		Loops: f.Loops,
		Handler: serve.HandlerFunc(func(c *serve.Conn, data []byte) {
			c.Write(data)
		}),
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	runner.Ready()
	runner.Wait(f.MemFile)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		runner.Fatal("evchan: stopping", err)
	}
	if err := <-done; err != nil && !errors.Is(err, serve.ErrServerClosed) {
		runner.Fatal("evchan", err)
	}
}
