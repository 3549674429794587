package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestGrowthTimers runs the timers mode at tiny sizes and checks its table
// and figure; the figures themselves are not looked at.
func TestGrowthTimers(t *testing.T) {
	svg := filepath.Join(tempDir(t), "timers.svg")
	out := runGrowth(t, 0, "timers", "-n", "100,200", "-runs", "1", "-rounds", "1", "-svg", svg)
	checkGrowthTable(t, out, []string{"N", "evchan", "evchan-all", "AfterFunc"}, []string{"100", "200"})
	checkGrowthSVG(t, svg, 3)
}

// TestGrowthEvents runs the events mode at tiny sizes, with libevent's
// program missing and where bench/peers/build.sh left it (if it did).
func TestGrowthEvents(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the chain workload needs a Unix system")
	}
	dir := tempDir(t)
	for _, peer := range []string{filepath.Join(dir, "missing"), "bench/peers/chain_libevent"} {
		svg := filepath.Join(dir, "events.svg")
		out := runGrowth(t, 0, "events", "-n", "4,8", "-aw", "1:10,2:20", "-runs", "1", "-rounds", "1", "-peer", peer, "-svg", svg)
		impls := []string{"evchan-all", "epoll", "libevent"}
		if runtime.GOOS != "linux" {
			impls = []string{"evchan-all", "libevent"}
		}
		if strings.Contains(out, "Note: libevent is left out") {
			impls = impls[:len(impls)-1]
		} else if peer != "bench/peers/chain_libevent" {
			t.Errorf("%s: no note that libevent is left out:\n%s", peer, out)
		}
		header := []string{"n"}
		for _, aw := range []string{"a=1 w=10", "a=2 w=20"} {
			for _, impl := range impls {
				header = append(header, impl+" "+aw)
			}
		}
		checkGrowthTable(t, out, header, []string{"4", "8"})
		checkGrowthSVG(t, svg, len(header)-1)
	}
}

// TestGrowthRefuses checks that bad arguments end with code 2 before
// anything is measured.
func TestGrowthRefuses(t *testing.T) {
	svg := filepath.Join(tempDir(t), "figure.svg")
	for _, args := range [][]string{
		{},
		{"nonesuch"},
		{"timers", "-n", "100"},
		{"timers", "-n", "200,100"},
		{"timers", "-n", "0,100"},
		{"timers", "-n", "1k,2x"},
		{"timers", "-runs", "0"},
		{"timers", "-rounds", "0"},
		{"timers", "-svg", filepath.Join(filepath.Dir(svg), "no", "such.svg")},
		{"timers", "stray"},
		{"events", "-n", "4,8", "-svg", svg}, // -aw's a=100 is more than n
		{"events", "-aw", "1:"},
		{"events", "-aw", "0:10"},
	} {
		runGrowth(t, 2, args...)
	}
	runGrowth(t, 0, "-h")
}

// runGrowth runs evbench growth with args, checks its exit code and returns
// its standard output.
func runGrowth(t *testing.T, want int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := growthMain(args, &stdout, &stderr); code != want {
		t.Fatalf("growth %q: exit code %d, want %d; stderr:\n%s", args, code, want, stderr.String())
	}
	return stdout.String()
}

// checkGrowthTable checks that out holds the table: header, then a row per
// size whose cells are "ns (ratio)" with ratio 1.00 in the first row, then
// the largest ratios.
func checkGrowthTable(t *testing.T, out string, header, sizes []string) {
	t.Helper()
	var rows [][]string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "|") && !strings.HasPrefix(line, "|---") {
			rows = append(rows, cells(line))
		}
	}
	if len(rows) != len(sizes)+2 || strings.Join(rows[0], "|") != strings.Join(header, "|") {
		t.Fatalf("want a table with the header %q and %d more rows, got:\n%s", header, len(sizes)+1, out)
	}
	for i, row := range rows[1:] {
		label := "max ratio"
		if i < len(sizes) {
			label = sizes[i]
		}
		if len(row) != len(header) || row[0] != label {
			t.Fatalf("row %q, want %d cells starting with %q", row, len(header), label)
		}
		for _, cell := range row[1:] {
			ratio := cell
			if i < len(sizes) {
				ns, r, ok := strings.Cut(cell, " (")
				v, err := strconv.ParseFloat(ns, 64)
				if !ok || err != nil || v <= 0 {
					t.Fatalf("cell %q in row %q is not ns (ratio)", cell, row)
				}
				ratio = strings.TrimSuffix(r, ")")
			}
			r, err := strconv.ParseFloat(ratio, 64)
			if err != nil || r <= 0 || (i == 0 && ratio != "1.00") || (i == len(sizes) && r < 1) {
				t.Fatalf("cell %q in row %q: bad ratio", cell, row)
			}
		}
	}
	if !strings.Contains(out, "wrote ") {
		t.Errorf("no line saying the figure was written:\n%s", out)
	}
}

// checkGrowthSVG checks that the figure is well-formed XML with a line per
// series.
func checkGrowthSVG(t *testing.T, path string, series int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	lines := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "polyline" {
			lines++
		}
	}
	if lines != series {
		t.Errorf("%s: %d lines, want %d", path, lines, series)
	}
}
