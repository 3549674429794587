// Command evchan is the evchan echo server of the benchmark: one container
// per loop, each run by its own goroutine's loop over All (serve.go).
package main

import "github.com/evchan/evchan/bench/servers/internal/runner"

func main() {
	f := runner.Parse("containers, each with its own loop goroutine")
	stop, err := serve(f.Addr, f.Loops)
	if err != nil {
		runner.Fatal("evchan", err)
	}
	runner.Ready()
	runner.Wait(f.MemFile)
	if err := stop(); err != nil {
		runner.Fatal("evchan: stopping", err)
	}
}
