// Command gnet is the gnet v2 echo server of the benchmark, as gnet's
// echo example (gnet-io/gnet-examples, echo_tcp) writes it: OnTraffic
// takes everything with c.Next(-1) and writes it back with c.Write, on the
// event loop, multicore.
package main

import (
	"context"
	"time"

	"github.com/evchan/evchan/bench/servers/internal/runner"
	"github.com/panjf2000/gnet/v2"
	"github.com/panjf2000/gnet/v2/pkg/logging"
)

type echoServer struct {
	gnet.BuiltinEventEngine
	eng   gnet.Engine
	ready chan struct{}
}

func (es *echoServer) OnBoot(eng gnet.Engine) gnet.Action {
	es.eng = eng
	close(es.ready)
	return gnet.None
}

func (es *echoServer) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Next(-1)
	c.Write(buf)
	return gnet.None
}

func main() {
	f := runner.Parse("event loops (gnet.WithNumEventLoop)")
	es := &echoServer{ready: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- gnet.Run(es, "tcp://"+f.Addr,
			gnet.WithMulticore(true),
			gnet.WithNumEventLoop(f.Loops),
			gnet.WithLogLevel(logging.WarnLevel))
	}()
	select {
	case <-es.ready:
	case err := <-done:
		runner.Fatal("gnet", err)
	}
	runner.Ready()
	runner.Wait(f.MemFile)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := es.eng.Stop(ctx); err != nil {
		runner.Fatal("gnet: stopping", err)
	}
	if err := <-done; err != nil {
		runner.Fatal("gnet", err)
	}
}
