package main

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const plotSample = `## Chain benchmark

| n | a | w | evchan | evchan -t | evchan-all | libevent | goroutines | epoll | epoll-handoff |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 100 | 1 | 100 | 1522 | 1746 | 938.1 | 620.9 | 1140 | 592.9 | 1146 |
| 100 | 100 | 1000 | 7865 | 8615 | 5225 | 4219 | 3215 | 4520 | 8704 |
| 1000 | 1 | 100 | 1924 | 2014 | 1107 | 652.4 | 1118 | 733.0 | 1647 |

## Echo servers: evchan against gnet, nbio, netpoll and a C floor

| conns | size | evchan | gnet | floor |
|---:|---:|---:|---:|---:|
| 100 | 64 | 70669 | 69740 | 84220 |
| 1000 | 64 | 101255 | 61860 | 100751 |
| 1000 | 1024 | 80328 | 68799 | 72992 |

## Echo benchmark

| impl | heap B/conn | stack B/conn | total B/conn |
|---|---:|---:|---:|
| evchan | 750 | 20 | 770 |
| goroutines | 4931 | 2064 | 6996 |
`

// TestPlot checks that the tables are read and that both files are
// well-formed XML.
func TestPlot(t *testing.T) {
	series, ns, err := chainSeries(plotSample)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || len(series) != 6 || series[0].ys[0] != 1522.0/101 {
		t.Fatalf("ns %v series %v", ns, series)
	}
	dir := tempDir(t)
	if err := writePlots(plotSample, dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	servers, conns, err := serversSeries(plotSample)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 2 || len(servers) != 3 || servers[0].ys[1] != 101.255 {
		t.Fatalf("conns %v servers %v", conns, servers)
	}
	for _, name := range []string{"chain.svg", "echo-memory.svg", "servers.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(strings.NewReader(string(b)))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
}

// tempDir is t.TempDir, emptied file by file with os.Remove. Go 1.26's
// os.RemoveAll, which t.TempDir's cleanup calls, deletes through
// NtSetInformationFile(FileDispositionInformationEx) and falls back to the
// older call only for the statuses Windows gives when it lacks it. Wine 8
// lacks it too but answers "Invalid function", so the cleanup fails there
// with nothing left open (os.Remove works). The directory holds files only.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "evbench-plot")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Errorf("cleanup: %v", err)
		}
		for _, e := range ents {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
		if err := os.Remove(dir); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return dir
}
