// Echo is an event-driven TCP echo server in the style of the LuaEvents
// draft: one container watches the listener and every client, and package
// dispatch calls the handler each event carries as its data.
//
//	go run ./examples/echo -addr 127.0.0.1:7000
//	nc 127.0.0.1 7000      # type lines; they come back
//
// The listener is a persistent readable event (the draft's "R") whose
// handler accepts. Each client is a persistent readable event too, with an
// idle timeout: an event delivered with reason Timeout (R7) means the client
// said nothing for that long, and it is closed. As in the draft's reader, a
// client keeps the part of a line read so far and echoes whole lines, so a
// line may arrive in any number of pieces.
//
// Handlers run under dispatch.Goroutines: each client's events are handled
// one at a time, in order, so a client's state needs no lock, while
// different clients are served at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7000", "address to listen on")
	idle := flag.Duration("idle", time.Minute, "close a client silent for this long")
	limit := flag.Int("limit", 256, "handlers running at once at most")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("echo: listening on %v, idle timeout %v\n", ln.Addr(), *idle)
	s := &Server{Idle: *idle, Limit: *limit, Log: log.New(os.Stderr, "echo: ", log.LstdFlags)}
	if err := s.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatal(err)
	}
	fmt.Println("echo: stopped")
}

// discard is a logger that says nothing.
var discard = log.New(io.Discard, "", 0)
