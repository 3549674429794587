//go:build linux

package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// TestReaderExample runs the draft's event mode socket reader
// (examples/lua/reader.lua): lines sent in pieces, with pauses that make
// receive return "event" and a partial line, come out whole and in order,
// and the client's hang-up ends the loop once the container is empty (R1,
// R13).
func TestReaderExample(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := &lineWriter{lines: make(chan string, 100)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, filepath.Join("..", "..", "examples", "lua", "reader.lua"), []string{"0"}, 1, out)
	}()
	next := func() string {
		t.Helper()
		select {
		case line := <-out.lines:
			return line
		case err := <-done:
			// The script may print its last line and end at once, and
			// select picks either: a line written before the end is
			// already in out.lines, which Write fills synchronously.
			select {
			case line := <-out.lines:
				done <- err
				return line
			default:
			}
			t.Fatalf("the script ended early: %v", err)
		case <-ctx.Done(): // only a hang gets here
			t.Fatal("no output")
		}
		return ""
	}
	var port int
	if _, err := fmt.Sscanf(next(), "listening\t%d", &port); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"hello", "partial lines", "third"} {
		half := len(line) / 2
		conn.Write([]byte(line[:half]))
		time.Sleep(20 * time.Millisecond) // lets receive return "event" mid-line; the result does not depend on it
		conn.Write([]byte(line[half:] + "\n"))
		if got := next(); got != "got\t"+line {
			t.Fatalf("got %q, want the whole line %q", got, line)
		}
	}
	conn.Close()
	if got := next(); got != "closed\tclosed" {
		t.Fatalf("after the hang-up: %q", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("the script: %v", err)
	}
}
