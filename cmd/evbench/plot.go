package main

import (
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// evbench plot draws the figures referenced from BENCHMARKS.md, as
// hand-written SVG, from the tables recorded there:
//   - chain.svg: the chain benchmark's median time per read event against n
//     (a=1, w=100, so a run handles 101 read events) for evchan, libevent,
//     goroutines and raw epoll, from the Chain section's table of medians;
//   - echo-memory.svg: the echo servers' heap and stack per idle connection,
//     from the Echo section's memory table;
//   - servers.svg: messages a second of evchan's serve and its peers against
//     connections, from the echo servers' section (bench/servers.sh).

func plotMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	md := fs.String("md", "BENCHMARKS.md", "the file holding the tables")
	dir := fs.String("out", "bench", "directory to write chain.svg, echo-memory.svg and servers.svg in")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: evbench plot [flags]

Writes chain.svg (chain benchmark, time per read event against n, a=1 w=100),
echo-memory.svg (echo servers, bytes per idle connection) and servers.svg
(bench/servers.sh: messages a second against connections) from the tables
in BENCHMARKS.md.

flags:
`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	text, err := os.ReadFile(*md)
	if err == nil {
		err = writePlots(string(text), *dir, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "evbench plot:", err)
		return 1
	}
	return 0
}

func writePlots(md, dir string, stdout io.Writer) error {
	series, ns, err := chainSeries(md)
	if err != nil {
		return err
	}
	mem, err := echoMemRows(md)
	if err != nil {
		return err
	}
	servers, conns, err := serversSeries(md)
	if err != nil {
		return err
	}
	files := map[string]string{
		"chain.svg":       chainSVG(series, ns),
		"echo-memory.svg": echoMemSVG(mem),
		"servers.svg":     serversSVG(servers, conns),
	}
	for _, name := range []string{"chain.svg", "echo-memory.svg", "servers.svg"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "wrote", p)
	}
	return nil
}

// section returns the text of the "## title" section of md.
func section(md, title string) (string, error) {
	i := strings.Index("\n"+md, "\n## "+title+"\n")
	if i < 0 {
		return "", fmt.Errorf("no section %q", title)
	}
	rest := md[i:]
	if j := strings.Index(rest[3:], "\n## "); j >= 0 {
		rest = rest[:j+3]
	}
	return rest, nil
}

// table returns the rows, cells trimmed, of the first markdown table in
// text whose header starts with prefix; the header is the first row.
func table(text, prefix string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if rows == nil {
			if strings.HasPrefix(line, prefix) {
				rows = append(rows, cells(line))
			}
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		if strings.HasPrefix(line, "|---") {
			continue
		}
		rows = append(rows, cells(line))
	}
	return rows
}

func cells(line string) []string {
	f := strings.Split(strings.Trim(line, "|"), "|")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

type plotSeries struct {
	name string
	ys   []float64 // µs per read event, one per n
	// color and dashed style the line; the zero values are plotColors[i]
	// for the i-th series, and a solid line.
	color  string
	dashed bool
}

var chainPlotImpls = []string{"evchan", "evchan-all", "libevent", "goroutines", "epoll", "epoll-handoff"}

func chainSeries(md string) ([]plotSeries, []float64, error) {
	sec, err := section(md, "Chain benchmark")
	if err != nil {
		return nil, nil, err
	}
	rows := table(sec, "| n | a | w | evchan |")
	if len(rows) < 2 {
		return nil, nil, errors.New("no table of medians in the Chain section")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	series := make([]plotSeries, len(chainPlotImpls))
	for i, name := range chainPlotImpls {
		if _, ok := col[name]; !ok {
			return nil, nil, fmt.Errorf("no column %q in the chain table", name)
		}
		series[i].name = name
	}
	var ns []float64
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) || r[1] != "1" || r[2] != "100" {
			continue
		}
		n, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			return nil, nil, err
		}
		ns = append(ns, n)
		for i, name := range chainPlotImpls {
			us, err := strconv.ParseFloat(r[col[name]], 64)
			if err != nil {
				return nil, nil, err
			}
			series[i].ys = append(series[i].ys, us/101)
		}
	}
	if len(ns) < 2 {
		return nil, nil, errors.New("fewer than two rows with a=1 w=100 in the chain table")
	}
	return series, ns, nil
}

// serversSection is the title of BENCHMARKS.md's section on bench/servers.sh.
const serversSection = "Echo servers: evchan against gnet, nbio, netpoll and a C floor"

// serversSeries reads the messages a second of every server against the
// number of connections, 64-byte messages, from the first table of the
// echo servers' section (the medians), in thousands.
func serversSeries(md string) ([]plotSeries, []float64, error) {
	sec, err := section(md, serversSection)
	if err != nil {
		return nil, nil, err
	}
	rows := table(sec, "| conns | size | evchan |")
	if len(rows) < 2 {
		return nil, nil, errors.New("no table of messages a second in the echo servers' section")
	}
	series := make([]plotSeries, len(rows[0])-2)
	for i := range series {
		series[i].name = rows[0][i+2]
	}
	var conns []float64
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) || r[1] != "64" {
			continue
		}
		n, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			return nil, nil, err
		}
		conns = append(conns, n)
		for i := range series {
			v, err := strconv.ParseFloat(r[i+2], 64)
			if err != nil {
				return nil, nil, err
			}
			series[i].ys = append(series[i].ys, v/1000)
		}
	}
	if len(conns) < 2 {
		return nil, nil, errors.New("fewer than two rows of 64-byte messages in the echo servers' table")
	}
	return series, conns, nil
}

// serversSVG draws thousands of echoes a second against connections.
func serversSVG(series []plotSeries, conns []float64) string {
	return linePlot{
		title:  "Echo servers, 64-byte messages: median messages a second",
		xLabel: "connections (log scale)",
		yLabel: "thousands of messages a second",
		xs:     conns,
		series: series,
		legend: 130,
		fineY:  true,
	}.svg()
}

type memRow struct {
	impl        string
	heap, stack float64
}

func echoMemRows(md string) ([]memRow, error) {
	sec, err := section(md, "Echo benchmark")
	if err != nil {
		return nil, err
	}
	rows := table(sec, "| impl | heap B/conn |")
	if len(rows) < 2 {
		return nil, errors.New("no memory table in the Echo section")
	}
	var out []memRow
	for _, r := range rows[1:] {
		if len(r) < 3 {
			continue
		}
		h, err1 := strconv.ParseFloat(r[1], 64)
		s, err2 := strconv.ParseFloat(r[2], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		out = append(out, memRow{r[0], h, s})
	}
	return out, nil
}

// plotColors are the chain plot's series colours, in chainPlotImpls order.
var plotColors = []string{"#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#7f7f7f", "#9467bd"}

// The echo plot's two parts of a bar.
const stackColor, heapColor = "#d62728", "#1f77b4"

const svgHead = `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
`

// niceMax rounds v up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 { return roundUp(v, []float64{1, 2, 5, 10}) }

// fineMax rounds v up more closely, for lines that should fill the figure.
func fineMax(v float64) float64 { return roundUp(v, []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) }

// roundUp rounds v up to one of steps, which end with 10, times a power of
// ten.
func roundUp(v float64, steps []float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range steps {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// chainSVG draws µs per read event against n, n on a log scale.
func chainSVG(series []plotSeries, ns []float64) string {
	return linePlot{
		title:  "Chain benchmark, a=1 w=100: median time per read event",
		xLabel: "n (socket pairs, log scale)",
		yLabel: "µs per read event",
		xs:     ns,
		series: series,
		legend: 130,
	}.svg()
}

// linePlot is a figure of one line per series against x on a log scale,
// with a tick at every x and y from zero: chain.svg, and the figures of
// evbench growth.
type linePlot struct {
	title, xLabel, yLabel string
	xs                    []float64            // increasing, at least two
	xTick                 func(float64) string // labels the x ticks; fmtNum if nil
	series                []plotSeries
	legend                int  // width of the legend column at the right, in pixels
	fineY                 bool // y's top is fineMax, not niceMax, of the largest y
}

func (p linePlot) svg() string {
	const h, left, top, bottom = 400, 70, 40, 50
	right := p.legend
	w := 510 + right
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	tick := p.xTick
	if tick == nil {
		tick = fmtNum
	}
	var ymax float64
	for _, s := range p.series {
		for _, y := range s.ys {
			ymax = max(ymax, y)
		}
	}
	if p.fineY {
		ymax = fineMax(ymax)
	} else {
		ymax = niceMax(ymax)
	}
	lo, hi := math.Log10(p.xs[0]), math.Log10(p.xs[len(p.xs)-1])
	x := func(n float64) float64 { return left + (math.Log10(n)-lo)/(hi-lo)*pw }
	y := func(v float64) float64 { return top + ph - v/ymax*ph }
	var b strings.Builder
	fmt.Fprintf(&b, svgHead, w, h, w, h)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="14">%s</text>`+"\n", left, html.EscapeString(p.title))
	for i := 0; i <= 5; i++ {
		v := ymax * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			left, left+pw, y(v), y(v), left-6, y(v)+4, fmtNum(v))
	}
	for _, n := range p.xs {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n",
			x(n), x(n), top, top+ph, x(n), top+ph+16, html.EscapeString(tick(n)))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", left+pw/2, h-10, html.EscapeString(p.xLabel))
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", top+ph/2, html.EscapeString(p.yLabel))
	for i, s := range p.series {
		c := s.color
		if c == "" {
			c = plotColors[i%len(plotColors)]
		}
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		pts := make([]string, len(p.xs))
		for j, n := range p.xs {
			pts[j] = fmt.Sprintf("%.1f,%.1f", x(n), y(s.ys[j]))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x(n), y(s.ys[j]), c)
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), c, dash)
		ly := top + 10 + 20*i
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/><text x="%.1f" y="%d">%s</text>`+"\n",
			left+pw+12, left+pw+32, ly, ly, c, dash, left+pw+38, ly+4, html.EscapeString(s.name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// echoMemSVG draws one bar per server, heap and stack stacked.
func echoMemSVG(rows []memRow) string {
	const w, h, left, right, top, bottom = 520, 360, 70, 110, 40, 50
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	var ymax float64
	for _, r := range rows {
		ymax = max(ymax, r.heap+r.stack)
	}
	ymax = niceMax(ymax)
	y := func(v float64) float64 { return top + ph - v/ymax*ph }
	var b strings.Builder
	fmt.Fprintf(&b, svgHead, w, h, w, h)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="14">Echo server memory per idle connection (5,000 connections)</text>`+"\n", 10)
	for i := 0; i <= 5; i++ {
		v := ymax * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			left, left+pw, y(v), y(v), left-6, y(v)+4, fmtNum(v))
	}
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">bytes per connection</text>`+"\n", top+ph/2)
	slot := pw / float64(max(len(rows), 1))
	for i, r := range rows {
		bx := left + slot*float64(i) + slot*0.2
		bw := slot * 0.6
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", bx, y(r.heap), bw, y(0)-y(r.heap), heapColor)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", bx, y(r.heap+r.stack), bw, y(r.heap)-y(r.heap+r.stack), stackColor)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s B</text>`+"\n", bx+bw/2, y(r.heap+r.stack)-5, fmtNum(r.heap+r.stack))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", bx+bw/2, top+ph+16, html.EscapeString(r.impl))
	}
	for i, part := range []struct{ name, color string }{{"stack", stackColor}, {"heap", heapColor}} {
		ly := top + 10 + 20*i
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="14" height="10" fill="%s"/><text x="%.1f" y="%d">%s</text>`+"\n",
			left+pw+12, ly-5, part.color, left+pw+32, ly+4, part.name)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
