//go:build unix

package main

import (
	"context"
	"errors"
	"net"

	"github.com/evchan/evchan/serve"
)

// serveEchoServer is package serve's server: one container per processor
// (GOMAXPROCS loops), each ranged over by one goroutine that reads raw
// descriptors into its loop's buffer and writes back at once, on the loop.
type serveEchoServer struct {
	s *serve.Server
}

func newServeEchoServer() *serveEchoServer {
	return &serveEchoServer{s: &serve.Server{
		Handler:        serve.HandlerFunc(func(c *serve.Conn, data []byte) { c.Write(data) }),
		ReadBufferSize: echoBufSize,
	}}
}

func (e *serveEchoServer) clients() int { return e.s.Conns() }

func (e *serveEchoServer) serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { e.s.Close() })
	defer stop()
	if err := e.s.Serve(ln); !errors.Is(err, serve.ErrServerClosed) {
		return err
	}
	return nil
}
