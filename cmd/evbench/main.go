// Command evbench measures evchan against the event loops its users would
// otherwise write or link.
//
// Usage:
//
//	evbench chain [flags]   libevent's test/bench.c chain workload
//	evbench echo [flags]    TCP echo server, evchan against goroutines
//	evbench plot [flags]    SVG figures from BENCHMARKS.md's tables
//	evbench growth events|timers [flags]
//	                        cost per read event or per timer against size
//
// Run "evbench chain -h" for the flags of a subcommand. bench/chain.sh at the
// module root runs the whole comparison and prints the table recorded in
// BENCHMARKS.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// subcommands maps a name to its entry point, which gets the arguments after
// the name and returns the process exit code.
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"chain":  chainMain,
	"echo":   echoMain,
	"plot":   plotMain,
	"growth": growthMain,
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: evbench <subcommand> [flags]

subcommands:
  chain   libevent's bench.c: n socket pairs, a bytes passed along a ring of
          read events until w writes are spent; compares evchan with raw
          epoll, goroutines and libevent
  echo    TCP echo on 127.0.0.1: evchan with dispatch.Goroutines, package
          serve, and a goroutine per connection; throughput, or memory per
          idle connection with -mem
  plot    writes bench/chain.svg, bench/echo-memory.svg and bench/servers.svg
          from the tables in BENCHMARKS.md
  growth  how costs grow with size: "growth events", the chain's time per
          read event against n; "growth timers", the time per one-shot
          timer against N timers in one container; prints a table and
          writes bench/growth-events.svg or bench/growth-timers.svg

Run "evbench <subcommand> -h" for its flags.
`)
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name := os.Args[1]
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		usage(os.Stdout)
		return
	}
	run, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "evbench: unknown subcommand %q\n\n", name)
		usage(os.Stderr)
		os.Exit(2)
	}
	os.Exit(run(os.Args[2:], os.Stdout, os.Stderr))
}

// parseFlags parses a subcommand's arguments, which are flags only. When it
// reports false, the subcommand ends with code: 0 after -h, 2 after a
// usage error (which fs has printed) or a stray argument.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "evbench %s: unexpected arguments %q\n", fs.Name(), fs.Args())
		return 2, false
	}
	return 0, true
}
