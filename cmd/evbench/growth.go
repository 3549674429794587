package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evchan/evchan/evchan"
)

// evbench growth measures how two costs grow with size, the ones the
// project's growth targets bound, and draws each against size:
//   - events: the chain workload's (chain.go) time per read event for
//     evchan-all, beside raw epoll and libevent, against n socket pairs.
//     Target: evchan-all within 1.2x of its n=100 figure up to n=9,900.
//   - timers: the time per timer to add N one-shot timers to one container
//     and receive them all, as evchan's BenchmarkTimers100k does, beside
//     time.AfterFunc as BenchmarkBaselineAfterFunc100k does. Target: within
//     1.5x of the N=10k figure up to N=1M.
//
// The machine is shared and its speed drifts over minutes, so every point is
// measured in rounds: each round measures every point, the implementations
// taking turns (who goes first changes from round to round), and a point's
// figure is the median of its runs over all rounds, as in bench/chain.sh.

const growthUsage = `usage: evbench growth events|timers [flags]

  events  the chain benchmark (evbench chain): median time per read event
          against n socket pairs, for evchan-all beside raw epoll and
          libevent; writes bench/growth-events.svg
  timers  median time per timer to add N one-shot timers to one container and
          receive them all, from c.C and from a loop over c.All, beside
          time.AfterFunc; writes bench/growth-timers.svg

Each prints a markdown table of the medians with, in brackets, their ratio
to the first size, and each series' largest ratio, the figure a growth
target bounds. bench/growth.sh runs both.

Run "evbench growth events -h" for a mode's flags.
`

func growthMain(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "events":
			return growthEvents(args[1:], stdout, stderr)
		case "timers":
			return growthTimers(args[1:], stdout, stderr)
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stdout, growthUsage)
			return 0
		}
		fmt.Fprintf(stderr, "evbench growth: unknown mode %q (want events or timers)\n\n", args[0])
	}
	fmt.Fprint(stderr, growthUsage)
	return 2
}

// growthRun is what both modes' flags say.
type growthRun struct {
	sizes  sizes // -n
	runs   int   // runs of each point per round
	rounds int
	svg    string
}

// flagSet defines the flags both modes have, with g's values as defaults;
// doc heads the usage text.
func (g *growthRun) flagSet(mode, doc, sizeDoc string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("growth "+mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&g.sizes, "n", sizeDoc+", an increasing comma-separated `list` (10k is 10000, 1M 1000000)")
	fs.IntVar(&g.runs, "runs", g.runs, "runs of each point in each round")
	fs.IntVar(&g.rounds, "rounds", g.rounds, "rounds: each measures every point, the implementations taking turns")
	fs.StringVar(&g.svg, "svg", g.svg, "the figure to write, an SVG `file` in an existing directory")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: evbench growth %s [flags]\n\n%s\nflags:\n", mode, doc)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args into g and checks what the flag types cannot, before
// minutes are spent measuring. As parseFlags, it returns the exit code
// when it reports false.
func (g *growthRun) parse(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code, false
	}
	var err error
	switch {
	case g.runs < 1:
		err = fmt.Errorf("-runs %d: need at least one", g.runs)
	case g.rounds < 1:
		err = fmt.Errorf("-rounds %d: need at least one", g.rounds)
	default:
		if info, serr := os.Stat(filepath.Dir(g.svg)); serr != nil {
			err = fmt.Errorf("-svg %s: %w", g.svg, serr)
		} else if !info.IsDir() {
			err = fmt.Errorf("-svg %s: %s is not a directory", g.svg, filepath.Dir(g.svg))
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "evbench %s: %v\n", fs.Name(), err)
		return 2, false
	}
	return 0, true
}

// sizes is -n: at least two sizes, increasing (the figure's x axis is
// logarithmic and each ratio is to the first).
type sizes []int

func (s *sizes) String() string {
	f := make([]string, len(*s))
	for i, v := range *s {
		f[i] = strconv.Itoa(v)
	}
	return strings.Join(f, ",")
}

func (s *sizes) Set(text string) error {
	var out sizes
	for _, f := range strings.Split(text, ",") {
		f = strings.TrimSpace(f)
		num, unit := f, 1
		if v, ok := strings.CutSuffix(f, "k"); ok {
			num, unit = v, 1_000
		} else if v, ok := strings.CutSuffix(f, "M"); ok {
			num, unit = v, 1_000_000
		}
		v, err := strconv.Atoi(num)
		if err != nil || v < 1 || v > math.MaxInt32/unit {
			return fmt.Errorf("%q is not a size", f)
		}
		v *= unit
		if len(out) > 0 && v <= out[len(out)-1] {
			return fmt.Errorf("%d after %d: the sizes must increase", v, out[len(out)-1])
		}
		out = append(out, v)
	}
	if len(out) < 2 {
		return errors.New("need at least two sizes, to see growth")
	}
	*s = out
	return nil
}

// chainLoad is one line of the events figure: the chain's a bytes in flight
// and w writes.
type chainLoad struct{ a, w int }

// chainLoads is -aw.
type chainLoads []chainLoad

func (l *chainLoads) String() string {
	f := make([]string, len(*l))
	for i, ld := range *l {
		f[i] = fmt.Sprintf("%d:%d", ld.a, ld.w)
	}
	return strings.Join(f, ",")
}

func (l *chainLoads) Set(text string) error {
	var out chainLoads
	for _, f := range strings.Split(text, ",") {
		as, ws, ok := strings.Cut(strings.TrimSpace(f), ":")
		a, aerr := strconv.Atoi(as)
		w, werr := strconv.Atoi(ws)
		if !ok || aerr != nil || werr != nil || a < 1 || w < 0 {
			return fmt.Errorf("%q is not a:w with a >= 1 and w >= 0", f)
		}
		out = append(out, chainLoad{a, w})
	}
	*l = out
	return nil
}

// growthSeries is one line of a figure and one column of its table.
type growthSeries struct {
	plotSeries             // ys: the median of every point's runs
	runs       [][]float64 // every run's figure, for each size
}

func newSeries(name, color string, dashed bool, nsizes int) growthSeries {
	return growthSeries{plotSeries{name: name, color: color, dashed: dashed}, make([][]float64, nsizes)}
}

// seriesColor is impl's colour in chain.svg, so that the figures agree.
func seriesColor(impl string) string {
	return plotColors[max(slices.Index(chainPlotImpls, impl), 0)]
}

// growthImpls are the chain implementations of the events figure; all but
// evchan-all may be missing (libevent's program is built apart, epoll is
// Linux's), and are then left out with a note.
var growthImpls = []string{"evchan-all", "epoll", "libevent"}

func growthEvents(args []string, stdout, stderr io.Writer) int {
	g := growthRun{sizes: sizes{100, 300, 1000, 3000, 9900}, runs: 5, rounds: 5, svg: "bench/growth-events.svg"}
	loads := chainLoads{{1, 100}, {100, 1000}}
	fs := g.flagSet("events", `Runs the chain benchmark (evbench chain) for each n, for evchan-all, raw
epoll and libevent (left out, with a note, if its program is missing: build
it with bench/peers/build.sh), and prints each one's median time per read
event (a+w of them per run). Target: evchan-all within 1.2x of its first
figure at every n.
`, "the numbers of socket pairs", stderr)
	fs.Var(&loads, "aw", "the chain's a:w (bytes in flight, writes) of each line, a comma-separated `list`")
	peer := fs.String("peer", "bench/peers/chain_libevent", "the libevent program, as evbench chain's -peer")
	if code, ok := g.parse(fs, args, stderr); !ok {
		return code
	}
	for _, ld := range loads {
		if ld.a > g.sizes[0] {
			fmt.Fprintf(stderr, "evbench growth events: -aw %d:%d: a is more than the smallest n, %d\n", ld.a, ld.w, g.sizes[0])
			return 2
		}
	}
	start := time.Now()

	// One run of each implementation at the largest n, before measuring,
	// finds which ones are here and fails now, not after minutes, if 2n
	// descriptors cannot be had (the Go runtime has raised the soft limit
	// to the hard one at start-up, as chain.sh's ulimit does).
	var impls, notes []string
	for _, impl := range growthImpls {
		_, err := runChain(impl, g.sizes[len(g.sizes)-1], chainLoad{1, 1}, 1, *peer)
		switch {
		case err == nil:
			impls = append(impls, impl)
		case impl == growthImpls[0]:
			fmt.Fprintln(stderr, "evbench growth events:", err)
			return 1
		default:
			notes = append(notes, fmt.Sprintf("%s is left out: %v", impl, err))
		}
	}

	// series[i*len(impls)+j] is impls[j] under loads[i].
	var series []growthSeries
	for i, ld := range loads {
		for _, impl := range impls {
			name := fmt.Sprintf("%s a=%d w=%d", impl, ld.a, ld.w)
			series = append(series, newSeries(name, seriesColor(impl), i > 0, len(g.sizes)))
		}
	}
	for r := range g.rounds {
		for k, n := range g.sizes {
			fmt.Fprintf(stderr, "round %d/%d n=%d\n", r+1, g.rounds, n)
			for i, ld := range loads {
				for t := range impls {
					j := (t + r) % len(impls)
					runs, err := runChain(impls[j], n, ld, g.runs, *peer)
					if err != nil {
						fmt.Fprintln(stderr, "evbench growth events:", err)
						return 1
					}
					s := &series[i*len(impls)+j]
					s.runs[k] = append(s.runs[k], runs...)
				}
			}
		}
	}

	head := fmt.Sprintf("Chain benchmark, ns per read event (a+w per run): medians of %d runs per point (%d rounds of %d), on %d CPUs; in brackets, the ratio to n=%d.",
		g.runs*g.rounds, g.rounds, g.runs, runtime.NumCPU(), g.sizes[0])
	plot := linePlot{
		title:  "Chain benchmark: median time per read event against n",
		xLabel: "n (socket pairs, log scale)",
		yLabel: "ns per read event",
	}
	return g.finish(stdout, stderr, head, notes, "n", strconv.Itoa, series, plot, start)
}

// runChain runs evbench chain's implementation impl for runs runs in this
// process and returns the time per read event of each, in nanoseconds. It
// goes through chainMain, reading the run times it prints, rather than
// through chain.go's types: those exist on Unix only and this file builds
// everywhere (elsewhere chainMain says what it needs). It is thus the very
// code evbench chain runs, its checks included.
func runChain(impl string, n int, ld chainLoad, runs int, peer string) ([]float64, error) {
	args := []string{"-impl", impl, "-n", strconv.Itoa(n), "-a", strconv.Itoa(ld.a), "-w", strconv.Itoa(ld.w),
		"-runs", strconv.Itoa(runs), "-peer", peer}
	var out, errs bytes.Buffer
	if chainMain(args, &out, &errs) != 0 {
		// Its last line says why, after "evbench chain: ".
		msg := strings.TrimSpace(errs.String())
		msg = strings.TrimPrefix(msg[strings.LastIndex(msg, "\n")+1:], "evbench chain: ")
		return nil, fmt.Errorf("chain %s: %s", strings.Join(args[:len(args)-2], " "), msg)
	}
	var ns []float64
	for _, line := range strings.Fields(out.String()) {
		us, err := strconv.ParseFloat(line, 64)
		if err != nil {
			return nil, fmt.Errorf("chain -impl %s printed %q", impl, line)
		}
		ns = append(ns, us*1e3/float64(ld.a+ld.w))
	}
	if len(ns) != runs {
		return nil, fmt.Errorf("chain -impl %s printed %d runs, want %d", impl, len(ns), runs)
	}
	return ns, nil
}

// timerStep is the time between successive deadlines, as in evchan's
// BenchmarkTimers100k (10 ms over 100,000 timers): N timers span N*100 ns.
const timerStep = 100 * time.Nanosecond

func growthTimers(args []string, stdout, stderr io.Writer) int {
	g := growthRun{sizes: sizes{10_000, 30_000, 100_000, 300_000, 1_000_000}, runs: 2, rounds: 5, svg: "bench/growth-timers.svg"}
	fs := g.flagSet("timers", `Adds N one-shot timers, deadlines 100 ns apart, to one evchan container and
receives them all, from c.C (evchan) and from a loop over c.All(evchan.Block)
(evchan-all), as evchan's BenchmarkTimers100k does; and the same with
time.AfterFunc sending on a channel (AfterFunc), as its
BenchmarkBaselineAfterFunc100k does. Prints each one's median time per timer.
In each round, each point's counted runs follow a collection and one run not
counted, as the iterations of a benchmark's loop do. Target: evchan within
1.5x of its first figure at every N.
`, "the numbers of timers", stderr)
	if code, ok := g.parse(fs, args, stderr); !ok {
		return code
	}
	start := time.Now()

	// As in the benchmarks, every point has its own container (one per way
	// of receiving) and channel, with room for every timer, that serve all
	// its runs: a point's runs never meet structures grown by a larger N.
	cs, cas := make([]*evchan.Container, len(g.sizes)), make([]*evchan.Container, len(g.sizes))
	chs := make([]chan int, len(g.sizes))
	for k, n := range g.sizes {
		cs[k], cas[k], chs[k] = evchan.New(), evchan.New(), make(chan int, n)
		defer cs[k].Close()
		defer cas[k].Close()
	}
	ways := []struct {
		name, color string
		run         func(k, n int) error
	}{
		{"evchan", seriesColor("evchan"), func(k, n int) error { return evchanTimers(cs[k], n) }},
		{"evchan-all", seriesColor("evchan-all"), func(k, n int) error { return allTimers(cas[k], n) }},
		{"AfterFunc", seriesColor("goroutines"), func(k, n int) error { afterFuncTimers(chs[k], n); return nil }},
	}
	series := make([]growthSeries, len(ways))
	for i, w := range ways {
		series[i] = newSeries(w.name, w.color, false, len(g.sizes))
	}
	// Each round runs every point as a benchmark runs its loop: after a
	// collection, a first run not counted, then the counted ones back to
	// back. A counted run thus pays for collecting the garbage of runs of
	// its own kind and N, as in a benchmark's steady state, never another
	// implementation's. The first round's uncounted runs also grow each
	// point's container and channel to N, as a benchmark's first iteration.
	for r := range g.rounds {
		for k, n := range g.sizes {
			fmt.Fprintf(stderr, "round %d/%d N=%d\n", r+1, g.rounds, n)
			for t := range ways {
				j := (t + r) % len(ways)
				runtime.GC()
				for i := range 1 + g.runs {
					t0 := time.Now()
					if err := ways[j].run(k, n); err != nil {
						fmt.Fprintf(stderr, "evbench growth timers: %s, N=%d: %v\n", ways[j].name, n, err)
						return 1
					}
					if i > 0 {
						series[j].runs[k] = append(series[j].runs[k], float64(time.Since(t0))/float64(n))
					}
				}
			}
		}
	}

	head := fmt.Sprintf("One-shot timers in one container, ns per timer added and fired (deadlines 100 ns apart): medians of %d runs per point (%d rounds of %d), on %d CPUs; in brackets, the ratio to N=%s.",
		g.runs*g.rounds, g.rounds, g.runs, runtime.NumCPU(), fmtCount(g.sizes[0]))
	plot := linePlot{
		title:  "N one-shot timers in one container: median time per timer",
		xLabel: "N (timers, deadlines 100 ns apart; log scale)",
		yLabel: "ns per timer, added and fired",
		xTick:  func(v float64) string { return fmtCount(int(v)) },
	}
	return g.finish(stdout, stderr, head, nil, "N", fmtCount, series, plot, start)
}

// evchanTimers is BenchmarkTimers100k's iteration for n timers: add them
// all, deadlines timerStep apart, then receive them from c.C.
func evchanTimers(c *evchan.Container, n int) error {
	for j := 1; j <= n; j++ {
		if _, err := c.Add(evchan.Timer(time.Duration(j)*timerStep), nil, 0); err != nil {
			return err
		}
	}
	for range n {
		if e := <-c.C; e.Reason != evchan.Timeout {
			return fmt.Errorf("got %v", e)
		}
	}
	return nil
}

// allTimers is evchanTimers receiving by a loop over c.All, which ends by
// itself once the last timer has fired and left c empty.
func allTimers(c *evchan.Container, n int) error {
	for j := 1; j <= n; j++ {
		if _, err := c.Add(evchan.Timer(time.Duration(j)*timerStep), nil, 0); err != nil {
			return err
		}
	}
	got := 0
	for e := range c.All(evchan.Block) {
		if e.Reason != evchan.Timeout {
			return fmt.Errorf("got %v", e)
		}
		got++
	}
	if got != n {
		return fmt.Errorf("the loop ended after %d of %d timers", got, n)
	}
	return nil
}

// afterFuncTimers is BenchmarkBaselineAfterFunc100k's iteration for n
// timers: ch must have room for all of them.
func afterFuncTimers(ch chan int, n int) {
	for j := 1; j <= n; j++ {
		time.AfterFunc(time.Duration(j)*timerStep, func() { ch <- j })
	}
	for range n {
		<-ch
	}
}

// finish takes each series' medians, prints the table under head and notes,
// and writes the figure.
func (g *growthRun) finish(stdout, stderr io.Writer, head string, notes []string, xName string, xLabel func(int) string,
	series []growthSeries, plot linePlot, start time.Time) int {
	for i := range series {
		s := &series[i]
		s.ys = make([]float64, len(s.runs))
		for k, runs := range s.runs {
			s.ys[k] = medianOf(runs)
		}
		plot.series = append(plot.series, s.plotSeries)
	}
	fmt.Fprintln(stdout, head)
	for _, note := range notes {
		fmt.Fprintln(stdout, "\nNote:", note)
	}
	fmt.Fprintln(stdout)
	growthTable(stdout, xName, g.sizes, xLabel, plot.series)
	fmt.Fprintln(stdout)

	for _, n := range g.sizes {
		plot.xs = append(plot.xs, float64(n))
	}
	plot.legend, plot.fineY = 210, true
	if err := os.WriteFile(g.svg, []byte(plot.svg()), 0o644); err != nil {
		fmt.Fprintf(stderr, "evbench growth: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "wrote", g.svg)
	fmt.Fprintf(stderr, "measured in %v\n", time.Since(start).Round(time.Second))
	return 0
}

// growthTable prints a row per size: each series' median and, in brackets,
// its ratio to the series' first median; then each series' largest ratio.
func growthTable(w io.Writer, xName string, xs []int, xLabel func(int) string, series []plotSeries) {
	fmt.Fprintf(w, "| %s |", xName)
	for _, s := range series {
		fmt.Fprintf(w, " %s |", s.name)
	}
	fmt.Fprintf(w, "\n|---:|%s\n", strings.Repeat("---:|", len(series)))
	for k, x := range xs {
		fmt.Fprintf(w, "| %s |", xLabel(x))
		for _, s := range series {
			fmt.Fprintf(w, " %s (%.2f) |", fmtNS(s.ys[k]), s.ys[k]/s.ys[0])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "| max ratio |")
	for _, s := range series {
		fmt.Fprintf(w, " %.2f |", slices.Max(s.ys)/s.ys[0])
	}
	fmt.Fprintln(w)
}

// fmtNS writes nanoseconds with three significant figures or more.
func fmtNS(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// fmtCount writes 10000 as 10k and 1000000 as 1M.
func fmtCount(v int) string {
	switch {
	case v >= 1_000_000 && v%1_000_000 == 0:
		return strconv.Itoa(v/1_000_000) + "M"
	case v >= 1_000 && v%1_000 == 0:
		return strconv.Itoa(v/1_000) + "k"
	}
	return strconv.Itoa(v)
}

// medianOf returns the median of xs, which it sorts.
func medianOf(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
