// Command netpoll is the cloudwego/netpoll echo server of the benchmark, as
// netpoll's guide and its echo example (cloudwego/netpoll-examples,
// echo/server.go) write it: an EventLoop whose OnRequest reads what the
// connection holds and writes it back with Flush. OnRequest runs on
// netpoll's goroutine pool, the default the example keeps.
package main

import (
	"context"
	"time"

	"github.com/cloudwego/netpoll"
	"github.com/evchan/evchan/bench/servers/internal/runner"
)

func handle(ctx context.Context, connection netpoll.Connection) error {
	reader, writer := connection.Reader(), connection.Writer()
	defer reader.Release()
	msg, err := reader.ReadString(reader.Len())
	if err != nil {
		return err
	}
	if _, err := writer.WriteString(msg); err != nil {
		return err
	}
	return writer.Flush()
}

func main() {
	f := runner.Parse("pollers (netpoll.Config.PollerNum)")
	if err := netpoll.Configure(netpoll.Config{PollerNum: f.Loops}); err != nil {
		runner.Fatal("netpoll", err)
	}
	listener, err := netpoll.CreateListener("tcp", f.Addr)
	if err != nil {
		runner.Fatal("netpoll", err)
	}
	eventLoop, err := netpoll.NewEventLoop(handle)
	if err != nil {
		runner.Fatal("netpoll", err)
	}
	done := make(chan error, 1)
	go func() { done <- eventLoop.Serve(listener) }()
	runner.Ready()
	runner.Wait(f.MemFile)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := eventLoop.Shutdown(ctx); err != nil {
		runner.Fatal("netpoll: stopping", err)
	}
	<-done
}
