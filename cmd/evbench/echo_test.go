//go:build unix

package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestEcho runs each echo server once with a few clients and checks that
// every echo came back intact (runEcho compares each one with its message
// and fails on a missing one), and that the server ended every goroutine it
// started.
func TestEcho(t *testing.T) {
	for _, impl := range echoImplNames {
		t.Run(impl, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			cfg := echoConfig{impl: impl, conns: 10, size: 64, msgs: 20, limit: 4}
			r, err := runEcho(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r.msgs != int64(cfg.conns*cfg.msgs) {
				t.Fatalf("%d echoes, want %d", r.msgs, cfg.conns*cfg.msgs)
			}
			if r.elapsed <= 0 || r.elapsed > time.Minute {
				t.Fatalf("took %v", r.elapsed)
			}
			t.Logf("%d echoes in %v", r.msgs, r.elapsed)
		})
	}
}

// TestEchoDuration checks the timed mode ends and counts something.
func TestEchoDuration(t *testing.T) {
	defer goleak.VerifyNone(t)
	r, err := runEcho(echoConfig{impl: "evchan", conns: 5, size: 64, dur: 50 * time.Millisecond, limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if r.msgs == 0 {
		t.Fatal("no echoes")
	}
}

// TestEchoChild drives the -mem server process's protocol in this process:
// ready, then a measurement once the clients are connected.
func TestEchoChild(t *testing.T) {
	for _, impl := range echoImplNames {
		t.Run(impl, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- echoChild(echoConfig{impl: impl, conns: 3, size: 64, limit: 4}, inR, outW)
				outW.Close()
			}()
			out := bufio.NewScanner(outR)
			if !out.Scan() {
				t.Fatal("no ready line")
			}
			var addr string
			if _, err := fmt.Sscanf(out.Text(), "ready %s", &addr); err != nil {
				t.Fatalf("ready line %q: %v", out.Text(), err)
			}
			conns, err := dialEcho(addr, 3)
			if err != nil {
				t.Fatal(err)
			}
			msg, got := make([]byte, 64), make([]byte, 64)
			for _, c := range conns {
				c.SetDeadline(time.Now().Add(10 * time.Second))
				if err := echoOnce(c, msg, got); err != nil {
					t.Fatal(err)
				}
			}
			fmt.Fprintln(inW, "measure 3")
			if !out.Scan() || !strings.HasPrefix(out.Text(), "mem ") {
				t.Fatalf("want a mem line, got %q", out.Text())
			}
			closeAll(conns)
			inW.Close()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, outR)
		})
	}
}
