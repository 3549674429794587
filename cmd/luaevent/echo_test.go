//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineWriter sends each line written to it on a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   string
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf += string(p)
	for {
		line, rest, ok := strings.Cut(w.buf, "\n")
		if !ok {
			return len(p), nil
		}
		w.lines <- line
		w.buf = rest
	}
}

// TestEchoServer serves examples/lua/echo.lua to 100 concurrent clients on
// the loopback interface, checks an idle client is dropped, and stops the
// server with "quit".
func TestEchoServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := &lineWriter{lines: make(chan string, 100)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, filepath.Join("..", "..", "examples", "lua", "echo.lua"), []string{"0", "1"}, 1, out)
	}()
	var addr string
	select {
	case line := <-out.lines:
		var port int
		if _, err := fmt.Sscanf(line, "listening\t%d", &port); err != nil {
			t.Fatalf("first line %q: %v", line, err)
		}
		addr = fmt.Sprintf("127.0.0.1:%d", port)
	case err := <-done:
		t.Fatalf("server ended: %v", err)
	}

	// An idle client is told bye and closed after its idle timeout.
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	const clients, lines = 100, 20
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			r := bufio.NewReader(c)
			for j := range lines {
				msg := fmt.Sprintf("client %d line %d", i, j)
				// send the line in two parts: the server keeps the partial one
				half := len(msg) / 2
				if _, err := io.WriteString(c, msg[:half]); err != nil {
					errs <- err
					return
				}
				if j%5 == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				if _, err := io.WriteString(c, msg[half:]+"\r\n"); err != nil {
					errs <- err
					return
				}
				got, err := r.ReadString('\n')
				if err != nil {
					errs <- fmt.Errorf("client %d line %d: %w", i, j, err)
					return
				}
				if got != msg+"\n" {
					errs <- fmt.Errorf("client %d: got %q, want %q", i, got, msg)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	idle.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(idle)
	if err != nil || string(got) != "bye\n" {
		t.Errorf("idle client got %q, %v; want bye and EOF", got, err)
	}

	q, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	io.WriteString(q, "quit\n")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("server did not stop")
	}
	if line := <-out.lines; line != fmt.Sprintf("served\t%d", clients+2) {
		t.Errorf("last line %q", line)
	}
}
