//go:build unix

package main

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// goroutineEchoServer is the plain Go server: one goroutine per connection,
// blocked in Read on its own buffer (echoBufSize bytes, as the evchan
// server's pooled ones), writing back what it read.
type goroutineEchoServer struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	nconns atomic.Int64
	wg     sync.WaitGroup
}

func newGoroutineEchoServer() *goroutineEchoServer {
	return &goroutineEchoServer{conns: make(map[net.Conn]struct{})}
}

func (s *goroutineEchoServer) clients() int { return int(s.nconns.Load()) }

func (s *goroutineEchoServer) serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for c := range s.conns {
			c.Close()
		}
	})
	defer stop()
	defer s.wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			ln.Close()
			if errors.Is(err, net.ErrClosed) && ctx.Err() != nil {
				return nil
			}
			return err
		}
		s.mu.Lock()
		if ctx.Err() != nil {
			s.mu.Unlock()
			conn.Close()
			continue
		}
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.nconns.Add(1)
		s.wg.Add(1)
		go s.handle(conn)
	}
}

func (s *goroutineEchoServer) handle(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
		s.nconns.Add(-1)
	}()
	buf := make([]byte, echoBufSize)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
