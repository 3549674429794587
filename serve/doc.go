// Package serve runs TCP servers on evchan containers, one per core: the
// pattern this module recommends to server authors, in the manner of gnet
// and nbio, with what their users ask for and do not get: per-connection
// idle timeouts as events, write backpressure, graceful shutdown, and the
// same code on Windows sockets.
//
//	s := &serve.Server{Handler: serve.HandlerFunc(func(c *serve.Conn, data []byte) {
//		c.Write(data) // echo
//	})}
//	err := s.ListenAndServe("tcp", ":7000")
//
// # One container per core, handlers on the loop
//
// A Server runs Loops loops (one per processor by default). Each is an
// evchan.Container and one goroutine that ranges over its events with
// c.All(evchan.Block), waiting in the kernel itself (epoll_wait, kevent,
// WSAPoll) when nothing is pending, and calls the handler on that very
// goroutine: no hand-over to another goroutine per event, as gnet's
// OnTraffic. The listener is an event of loop 0, which accepts connections
// in batches and gives each to a loop as Balance says (LeastConnections,
// RoundRobin, SourceAddrHash); a connection stays on its loop for life.
//
// Each loop reads into one buffer of its own (ReadBufferSize), which
// OnData receives: valid until OnData returns. So a handler must not block,
// and must copy what it keeps. Work that takes long goes to a goroutine of
// its own, which answers with Conn.Write, safe from any goroutine (or hands
// a function back to the loop with Conn.Do).
//
// # Lean connections
//
// On Unix a connection is a raw non-blocking descriptor from accept4, with
// no net.Conn (whose registration with the runtime's netpoller would stand
// beside the loop's), read and written with read(2) and write(2). An idle
// connection costs its Conn, one persistent readable event in its loop's
// container and one registration in the kernel's poller: no goroutine, no
// buffer, no timer (see BenchmarkIdleConnMemory). On Windows, the
// connection keeps the net.Conn it was accepted as; WSAPoll watches its
// socket, and poll.Read and poll.Write read and write it.
//
// # Timeouts
//
// IdleTimeout is the timeout of each connection's readable event (evchan's
// R7): it restarts whenever data comes, and when it passes the connection is
// closed, its CloseHandler told ErrIdleTimeout. While output waits for a
// peer that does not read, the writable event carries the same timeout, so a
// peer that takes nothing for that long is closed too. Conn.SetIdleTimeout
// changes one connection's.
//
// # Backpressure
//
// Conn.Write never blocks: what the kernel does not take now waits in the
// connection's output buffer, and a writable event drains it. Once
// WriteBufferLimit bytes wait, the loop stops reading from that connection
// (its readable event is deleted, and added again) until the output drains
// below half the limit: a client that sends without ever reading cannot
// make the server hold more than the limit and one read buffer for it.
//
// # Shutdown
//
// Shutdown stops accepting and closes the listener at once (the port is
// free), lets each connection's waiting output be written, closes every
// connection, ends every goroutine, and returns; Close does the same without
// waiting for output. Serve then returns ErrServerClosed.
//
// # Platforms
//
// Linux (epoll), macOS and the BSDs (kqueue), other Unix systems (poll(2)),
// and Windows (WSAPoll); see package poll. Elsewhere Serve returns an error
// wrapping errors.ErrUnsupported.
package serve
