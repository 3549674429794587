package serve_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
	"golang.org/x/sys/unix"
)

// fdLimitChild is the environment variable that makes TestDescriptorLimit
// the server process of the test, in a child.
const fdLimitChild = "SERVE_TEST_FDLIMIT_CHILD"

// The process at its descriptor limit while clients keep connecting:
// accept fails with EMFILE while the listener stays readable, the classic
// busy spin of event loops. The server, in a child process whose
// RLIMIT_NOFILE leaves room for a few connections, must not spin (its CPU
// time over a second at the limit stays far below a second), must keep
// serving the connections it has, and must accept the waiting clients once
// descriptors are free.
func TestDescriptorLimit(t *testing.T) {
	if os.Getenv(fdLimitChild) != "" {
		fdLimitServer(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDescriptorLimit$", "-test.count=1")
	cmd.Env = append(os.Environ(), fdLimitChild+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(outPipe)
	lines := make(chan []string)
	go func() {
		defer close(lines)
		for out.Scan() {
			lines <- strings.Fields(out.Text())
		}
	}()
	exited := false
	defer func() {
		if !exited {
			cmd.Process.Kill()
			for range lines { // to the end of its output: the reader ends
			}
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("the server process's stderr:\n%s", stderr.String())
		}
	}()
	expect := func(word string) []string {
		t.Helper()
		for {
			select {
			case f, ok := <-lines:
				if !ok {
					t.Fatalf("the server process ended before saying %q", word)
				}
				if len(f) > 0 && f[0] == word {
					return f[1:]
				}
			case <-time.After(2 * hangLimit):
				t.Fatalf("the server process did not say %q", word)
			}
		}
	}

	f := expect("ready")
	addr := f[0]
	room, _ := strconv.Atoi(f[1])
	if room < 12 {
		t.Fatalf("the server has room for %d connections, want at least 12", room)
	}
	// Under the limit: all served.
	served := dial(t, addr, room-2)
	msg := make([]byte, 64)
	echoAll := func(what string, conns []net.Conn) {
		t.Helper()
		for i, c := range conns {
			c.SetDeadline(time.Now().Add(hangLimit))
			msg[0] = byte(i)
			if _, err := c.Write(msg); err != nil {
				t.Fatalf("%s %d: %v", what, i, err)
			}
			if _, err := io.ReadFull(c, msg); err != nil || msg[0] != byte(i) {
				t.Fatalf("%s %d: no echo: %v", what, i, err)
			}
		}
	}
	echoAll("connection under the limit", served)
	// Past it: these wait in the listener's backlog.
	waiting := dial(t, addr, 20)

	fmt.Fprintln(in, "measure")
	f = expect("measured")
	cpu, _ := time.ParseDuration(f[0])
	retries, _ := strconv.Atoi(f[1])
	t.Logf("at the limit for a second: %v of CPU time, %d failed accepts", cpu, retries)
	if cpu > 500*time.Millisecond || retries > 50 {
		t.Fatalf("the server spins at the descriptor limit: %v of CPU time and %d failed accepts in a second", cpu, retries)
	}
	echoAll("connection served at the limit", served)

	// Free ten descriptors: the first waiting clients are served.
	for _, c := range served[:10] {
		c.Close()
	}
	echoAll("connection accepted once descriptors were free", waiting[:10])
	echoAll("connection served all along", served[10:])

	fmt.Fprintln(in, "quit")
	expect("bye")
	in.Close()
	for range lines { // to the end of its output: the reader ends
	}
	exited = true
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the server process: %v", err)
	}
}

// fdLimitServer is the child's side: an echo server whose process may open
// only a few more descriptors. It says "ready ADDR ROOM", then answers
// "measure" with "measured CPU FAILED-ACCEPTS" over one second at the
// limit, and "quit" with "bye" after Shutdown.
func fdLimitServer(t *testing.T) {
	var emfile atomic.Int64
	s := &serve.Server{Handler: &echo{}, Loops: 2, ErrorLog: func(err error) {
		if errors.Is(err, unix.EMFILE) {
			emfile.Add(1)
			return
		}
		t.Logf("server: %v", err)
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	waitFor(t, "serving", func() bool { return s.Addr() != nil })

	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	highest := 0
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			highest = max(highest, n)
		}
	}
	const room = 20
	limit := uint64(highest + 1 + room)
	open := len(ents) - 1 // ReadDir's own descriptor is closed now
	var old unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_NOFILE, &old)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ready %s %d\n", ln.Addr(), int(limit)-open)

	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		switch sc.Text() {
		case "measure":
			waitFor(t, "accept failing with EMFILE", func() bool { return emfile.Load() > 0 })
			var r0, r1 unix.Rusage
			unix.Getrusage(unix.RUSAGE_SELF, &r0)
			e0 := emfile.Load()
			time.Sleep(time.Second)
			unix.Getrusage(unix.RUSAGE_SELF, &r1)
			cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano())
			fmt.Printf("measured %v %d\n", cpu, emfile.Load()-e0)
		case "quit":
			ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
			err := s.Shutdown(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if err := <-served; !errors.Is(err, serve.ErrServerClosed) {
				t.Fatal(err)
			}
			fmt.Println("bye")
			return
		}
	}
}
