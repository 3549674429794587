// Package runner is what every Go echo server of this module shares: its
// flags, the "ready" line, and waiting for SIGTERM or SIGINT while answering
// SIGUSR1 with the Go heap and stack in use, written to -memfile.
package runner

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
)

// Flags are every server's flags.
type Flags struct {
	Addr    string // -addr: host:port to listen on
	Loops   int    // -loops: event loops; 0: GOMAXPROCS
	MemFile string // -memfile: where SIGUSR1 writes the Go memory figures
}

// Parse defines and parses the common flags on flag.CommandLine. loopsDoc
// says what -loops means for this server (or that it has no such knob).
func Parse(loopsDoc string) Flags {
	var f Flags
	flag.StringVar(&f.Addr, "addr", "127.0.0.1:9000", "host:port to listen on")
	flag.IntVar(&f.Loops, "loops", 0, loopsDoc+" (0: GOMAXPROCS)")
	flag.StringVar(&f.MemFile, "memfile", "", "on SIGUSR1, write Go's HeapAlloc and StackInuse (after two GCs) to this file")
	flag.Parse()
	if f.Loops < 0 {
		fmt.Fprintln(os.Stderr, "need -loops >= 0")
		os.Exit(2)
	}
	if f.Loops == 0 {
		f.Loops = runtime.GOMAXPROCS(0)
	}
	return f
}

// Ready tells the script that the server listens.
func Ready() { fmt.Println("ready") }

// Fatal reports err and ends the process.
func Fatal(what string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}

// Wait returns at SIGTERM or SIGINT. Meanwhile each SIGUSR1 writes
// "heap_alloc=N stack_inuse=N" to memFile (through a rename, so that a
// reader never sees half a line), measured after two collections.
func Wait(memFile string) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT, syscall.SIGUSR1)
	for sig := range ch {
		if sig != syscall.SIGUSR1 {
			signal.Stop(ch)
			return
		}
		if memFile == "" {
			continue
		}
		if err := writeMem(memFile); err != nil {
			fmt.Fprintln(os.Stderr, "memfile:", err)
		}
	}
}

func writeMem(path string) error {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	tmp := path + ".tmp"
	line := fmt.Sprintf("heap_alloc=%d stack_inuse=%d\n", ms.HeapAlloc, ms.StackInuse)
	if err := os.WriteFile(tmp, []byte(line), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
