//go:build unix

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"time"

	"github.com/evchan/evchan/poll"
)

// The chain workload is the one of libevent's test/bench.c (Niels Provos,
// with Davide Libenzi's chain propagation): n socket pairs each have a
// persistent read event; a pairs spaced n/a apart get one byte each; every
// read event reads its byte and, while writes remain, writes one to the next
// pair, (i+1) mod n. A run ends when every byte written was read.
//
// What is mirrored from bench.c: the count, fired and writes counters and
// the loop condition (count != fired), the spacing of the first bytes
// (space = n/a), every read event being re-registered before each run
// (event_del, event_set, event_add) outside the clock, 25 runs, and one line
// per run with its time in microseconds. What differs, and why:
//   - The clock starts before the first a bytes are written, not after:
//     evchan and the goroutines start reading as soon as a byte lands, on
//     another core, so a clock started after the writes would hide part of
//     their work. Every implementation here, libevent included, is timed the
//     same way.
//   - A read that finds nothing (EAGAIN) forwards no byte. bench.c's loop,
//     one thread over level-triggered readiness, never sees one; evchan can
//     (its poller may look again before the consumer has read), so such
//     reads are counted as spurious wake-ups instead of changing the
//     workload.
//   - Times are printed with a tenth of a microsecond, since a run of
//     n=100 a=1 w=100 lasts only tens of microseconds.

// chainConfig is one measurement, as the flags give it.
type chainConfig struct {
	impl    string
	pairs   int           // -n
	active  int           // -a
	writes  int           // -w
	timeout time.Duration // -t: every read event carries it, re-applied on each delivery
	backend poll.Backend  // -backend, for impl evchan
	runs    int
	peer    string // the libevent program, for impl libevent
}

// events is how many read events a run handles: one per byte, the a first
// ones and the w forwarded ones. Spurious wake-ups are counted apart.
func (cfg chainConfig) events() int { return cfg.active + cfg.writes }

// chainRun is the outcome of one run.
type chainRun struct {
	elapsed  time.Duration
	read     int // bytes read; a correct run reads cfg.events()
	spurious int // read events whose read found nothing (EAGAIN)
}

// chainRunner is one implementation set up for a configuration.
type chainRunner interface {
	// prepare registers every pair's read event anew, as bench.c does before
	// each run, outside the clock.
	prepare() error
	// run writes the first bytes and handles read events until every byte
	// written was read, timing both.
	run() (chainRun, error)
	close() error
}

// chainImpl is one implementation of the workload.
type chainImpl struct {
	name     string
	doc      string
	timeouts bool // supports -t
	open     func(cfg chainConfig) (chainRunner, error)
	// measure, if set, replaces open: the implementation runs every run
	// itself, as the libevent program does in its own process.
	measure func(cfg chainConfig) ([]chainRun, error)
}

// chainImpls lists the implementations; the files that define them
// register them, so each exists only where its system calls do.
var chainImpls []chainImpl

// chainOrder is the order usage lists the implementations in: evchan, then
// what it is compared with.
var chainOrder = []string{"evchan", "evchan-all", "evchan-pool", "libevent", "goroutines", "epoll", "epoll-oneshot", "epoll-handoff"}

func registerChain(impl chainImpl) {
	chainImpls = append(chainImpls, impl)
	slices.SortStableFunc(chainImpls, func(a, b chainImpl) int {
		return slices.Index(chainOrder, a.name) - slices.Index(chainOrder, b.name)
	})
}

func findChainImpl(name string) (chainImpl, bool) {
	for _, impl := range chainImpls {
		if impl.name == name {
			return impl, true
		}
	}
	return chainImpl{}, false
}

// defaultTimeout is -t's timeout: long enough that it never fires, as in the
// -t variant of bench.c that libev's author used (10 s plus up to 1 s).
const defaultTimeout = 10 * time.Second

func chainMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := chainConfig{}
	fs.StringVar(&cfg.impl, "impl", "evchan", "implementation: "+implNames())
	fs.IntVar(&cfg.pairs, "n", 100, "number of socket pairs, each with a persistent read event")
	fs.IntVar(&cfg.active, "a", 1, "number of active pairs, spaced n/a apart, that get the first bytes")
	fs.IntVar(&cfg.writes, "w", 100, "number of bytes forwarded in total (bench.c's writes)")
	useTimeout := fs.Bool("t", false, fmt.Sprintf("give every read event a %v timeout, re-applied on each delivery (it never fires)", defaultTimeout))
	backend := fs.String("backend", "default", "evchan's poll backend: default ("+poll.Default.String()+") or poll (poll(2), poll.Portable)")
	fs.IntVar(&cfg.runs, "runs", 25, "number of runs")
	fs.StringVar(&cfg.peer, "peer", "bench/peers/chain_libevent", "the libevent program (built by bench/chain.sh); a relative path is also looked up from every parent directory")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the runs to `file`")
	traceFile := fs.String("trace", "", "write an execution trace of the runs to `file` (go tool trace)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: evbench chain [flags]

libevent's test/bench.c: n socket pairs with persistent read events; a bytes
written to pairs n/a apart; each read event reads its byte and writes one to
the next pair until w writes are spent. Prints each run's time in
microseconds on stdout, and a summary on stderr: the median, the minimum, the
median per read event (a+w of them) and, for evchan and the raw epoll loops,
the spurious wake-ups (read events whose read found nothing).

implementations:
`)
		for _, impl := range chainImpls {
			fmt.Fprintf(fs.Output(), "  %-14s %s\n", impl.name, impl.doc)
		}
		fmt.Fprint(fs.Output(), "\nflags:\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	switch *backend {
	case "default", poll.Default.String():
		cfg.backend = poll.Default
	case "poll", "portable":
		cfg.backend = poll.Portable
	default:
		fmt.Fprintf(stderr, "evbench chain: unknown backend %q (want default or poll)\n", *backend)
		return 2
	}
	if *useTimeout {
		cfg.timeout = defaultTimeout
	}

	for _, rec := range []recording{
		{*cpuprofile, pprof.StartCPUProfile, pprof.StopCPUProfile},
		{*traceFile, trace.Start, trace.Stop},
	} {
		stop, err := rec.start()
		if err != nil {
			fmt.Fprintln(stderr, "evbench chain:", err)
			return 1
		}
		defer stop()
	}

	runs, err := measureChain(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "evbench chain:", err)
		return 1
	}
	for _, r := range runs {
		fmt.Fprintf(stdout, "%.1f\n", micros(r.elapsed))
	}
	fmt.Fprintln(stderr, summarize(cfg, runs))
	return 0
}

// recording is a profile or trace the runs are recorded in, if file is set.
type recording struct {
	file  string
	begin func(io.Writer) error
	end   func()
}

// start creates the file and begins recording, and returns what ends both.
func (r recording) start() (stop func(), err error) {
	if r.file == "" {
		return func() {}, nil
	}
	f, err := os.Create(r.file)
	if err != nil {
		return nil, err
	}
	if err := r.begin(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { r.end(); f.Close() }, nil
}

func implNames() string {
	names := make([]string, len(chainImpls))
	for i, impl := range chainImpls {
		names[i] = impl.name
	}
	return strings.Join(names, ", ")
}

// validate checks cfg the way bench.c's arithmetic needs it.
func (cfg chainConfig) validate() error {
	switch {
	case cfg.pairs < 1:
		return fmt.Errorf("-n %d: need at least one pair", cfg.pairs)
	case cfg.active < 1 || cfg.active > cfg.pairs:
		return fmt.Errorf("-a %d: need 1 <= a <= n (%d)", cfg.active, cfg.pairs)
	case cfg.writes < 0:
		return fmt.Errorf("-w %d: negative", cfg.writes)
	case cfg.runs < 1:
		return fmt.Errorf("-runs %d: need at least one", cfg.runs)
	}
	return nil
}

// measureChain runs cfg.runs runs of cfg's implementation.
func measureChain(cfg chainConfig) ([]chainRun, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	impl, ok := findChainImpl(cfg.impl)
	if !ok {
		return nil, fmt.Errorf("unknown implementation %q (want one of %s)", cfg.impl, implNames())
	}
	if cfg.timeout > 0 && !impl.timeouts {
		return nil, fmt.Errorf("-impl %s has no timeouts to give its events (-t)", impl.name)
	}
	if impl.measure != nil {
		return impl.measure(cfg)
	}
	if err := raiseFileLimit(2*cfg.pairs + 64); err != nil {
		return nil, err
	}
	r, err := impl.open(cfg)
	if err != nil {
		return nil, err
	}
	runs := make([]chainRun, 0, cfg.runs)
	for range cfg.runs {
		if err = r.prepare(); err != nil {
			break
		}
		var run chainRun
		if run, err = r.run(); err != nil {
			break
		}
		if run.read != cfg.events() {
			err = fmt.Errorf("a run read %d bytes, want %d", run.read, cfg.events())
			break
		}
		runs = append(runs, run)
	}
	return runs, errors.Join(err, r.close())
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// summarize is the stderr line: key=value pairs that bench/chain.sh reads.
func summarize(cfg chainConfig, runs []chainRun) string {
	times := make([]time.Duration, len(runs))
	spurious := 0
	for i, r := range runs {
		times[i] = r.elapsed
		spurious += r.spurious
	}
	slices.Sort(times)
	med := median(times)
	impl := cfg.impl
	if impl == "evchan" {
		impl += "/" + cfg.backend.String()
	}
	s := fmt.Sprintf("summary impl=%s n=%d a=%d w=%d t=%v runs=%d median_us=%.1f min_us=%.1f ns_per_event=%.0f events=%d",
		impl, cfg.pairs, cfg.active, cfg.writes, cfg.timeout, len(runs),
		micros(med), micros(times[0]), float64(med)/float64(cfg.events()), cfg.events())
	if cfg.impl != "goroutines" && cfg.impl != "libevent" {
		// The others cannot see theirs: the runtime's netpoller retries a
		// read that would block, and the C program reports its own.
		s += fmt.Sprintf(" spurious=%d spurious_per_run=%.1f", spurious, float64(spurious)/float64(len(runs)))
	}
	return s
}

// median of sorted times.
func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
