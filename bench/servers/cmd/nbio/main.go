// Command nbio is the nbio echo server of the benchmark, as nbio's README
// and its echo example (lesismal/nbio-examples, echo/server) write it: an
// nbio.Engine whose OnData writes a copy of what it got.
package main

import (
	"github.com/evchan/evchan/bench/servers/internal/runner"
	"github.com/lesismal/nbio"
	"github.com/lesismal/nbio/logging"
)

func main() {
	f := runner.Parse("pollers (nbio.Config.NPoller)")
	logging.SetLevel(logging.LevelWarn)
	engine := nbio.NewEngine(nbio.Config{
		Network: "tcp",
		Addrs:   []string{f.Addr},
		NPoller: f.Loops,
	})
	engine.OnData(func(c *nbio.Conn, data []byte) {
		c.Write(append([]byte{}, data...))
	})
	if err := engine.Start(); err != nil {
		runner.Fatal("nbio", err)
	}
	runner.Ready()
	runner.Wait(f.MemFile)
	engine.Stop()
}
