//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The echo workload: a TCP echo server on 127.0.0.1 and -conns clients, each
// sending a -size byte message and waiting for its echo, again and again,
// for -d or -msgs messages per client. Two servers:
//   - evchan: examples/echo's design (echo_evchan.go), a container with a
//     persistent readable event on the listener and on every connection,
//     handlers run by dispatch.Goroutines;
//   - goroutines: one goroutine per connection blocked in Read
//     (echo_goroutines.go);
//   - serve: package serve, a container per processor with the handler on
//     its loop (echo_serve.go).
//
// Throughput runs put the clients and the server in one process (so both
// servers share the machine with the very same client code: one goroutine
// per client connection, Write then io.ReadFull). The clock starts once
// every connection is accepted and stops when every client has had its last
// echo.
//
// -mem measures the server's memory per idle connection instead: the server
// runs in a child process (this binary re-executed with -child), which
// reports HeapAlloc and StackInuse after runtime.GC() before any client
// connects and again once -conns clients are connected, each having had one
// echo; the clients live in the parent, so their memory is not counted.

// echoBufSize is each server's read buffer: per connection for the
// goroutines, pooled for evchan.
const echoBufSize = 4096

type echoConfig struct {
	impl  string
	conns int
	size  int
	dur   time.Duration // used when msgs is 0
	msgs  int           // per client; 0: run for dur
	limit int           // dispatch.Goroutines' limit, impl evchan
}

type echoResult struct {
	msgs    int64 // echoes received, all checked
	elapsed time.Duration
	slowest time.Duration // the longest wait for one echo
}

func (r echoResult) rate() float64 { return float64(r.msgs) / r.elapsed.Seconds() }

type echoServer interface {
	serve(ctx context.Context, ln net.Listener) error
	clients() int // connections accepted and not closed
}

var echoImplNames = []string{"evchan", "goroutines", "serve"}

func newEchoServer(cfg echoConfig) (echoServer, error) {
	switch cfg.impl {
	case "evchan":
		return newEvchanEchoServer(cfg.limit), nil
	case "goroutines":
		return newGoroutineEchoServer(), nil
	case "serve":
		return newServeEchoServer(), nil
	}
	return nil, fmt.Errorf("unknown implementation %q (want one of %s)", cfg.impl, strings.Join(echoImplNames, ", "))
}

func echoMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("echo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := echoConfig{}
	fs.StringVar(&cfg.impl, "impl", "evchan", "server: "+strings.Join(echoImplNames, ", "))
	fs.IntVar(&cfg.conns, "conns", 1000, "number of client connections")
	fs.IntVar(&cfg.size, "size", 64, "message size in bytes")
	fs.DurationVar(&cfg.dur, "d", 5*time.Second, "how long the clients send (when -msgs is 0)")
	fs.IntVar(&cfg.msgs, "msgs", 0, "messages per client; 0: send for -d")
	fs.IntVar(&cfg.limit, "limit", 256, "dispatch.Goroutines' limit of handlers at once (impl evchan)")
	mem := fs.Bool("mem", false, "measure the server's heap and stack per idle connection (server in a child process) instead of throughput")
	child := fs.Bool("child", false, "internal: be the server process of -mem")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: evbench echo [flags]

A TCP echo server on 127.0.0.1 against -conns clients in the same process,
each sending -size bytes and waiting for the echo, repeatedly. Prints on
stdout one line: impl, conns, messages, seconds, messages per second and
the longest wait for one echo.
With -mem, the server runs in a child process and the line gives its heap
and stack bytes per idle connection.

flags:
`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if cfg.conns < 1 || cfg.size < 1 || cfg.size > echoBufSize || cfg.msgs < 0 || (cfg.msgs == 0 && cfg.dur <= 0) {
		fmt.Fprintln(stderr, "evbench echo: need -conns >= 1, 1 <= -size <= 4096, and -msgs > 0 or -d > 0")
		return 2
	}
	var err error
	switch {
	case *child:
		err = echoChild(cfg, os.Stdin, stdout)
	case *mem:
		var m echoMem
		if m, err = measureEchoMem(cfg); err == nil {
			fmt.Fprintf(stdout, "echo-mem impl=%s conns=%d heap_per_conn=%.0f stack_per_conn=%.0f total_per_conn=%.0f\n",
				cfg.impl, cfg.conns, m.heap, m.stack, m.heap+m.stack)
		}
	default:
		var r echoResult
		if r, err = runEcho(cfg); err == nil {
			fmt.Fprintf(stdout, "echo impl=%s conns=%d msgs=%d seconds=%.3f msgs_per_s=%.0f slowest_ms=%.1f\n",
				cfg.impl, cfg.conns, r.msgs, r.elapsed.Seconds(), r.rate(), r.slowest.Seconds()*1000)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "evbench echo:", err)
		return 1
	}
	return 0
}

// startEchoServer listens on 127.0.0.1 and serves until the returned stop
// is called, which waits for the server to end.
func startEchoServer(cfg echoConfig) (srv echoServer, addr string, stop func() error, err error) {
	srv, err = newEchoServer(cfg)
	if err != nil {
		return nil, "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.serve(ctx, ln) }()
	return srv, ln.Addr().String(), func() error { cancel(); return <-done }, nil
}

// dialEcho opens n connections to addr, a few at a time.
func dialEcho(addr string, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range errs {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				c, err := net.DialTimeout("tcp", addr, 30*time.Second)
				if err != nil {
					errs[w] = err
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeAll(conns)
		return nil, err
	}
	return conns, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

// waitClients waits until srv has accepted n connections.
func waitClients(srv echoServer, n int) error {
	deadline := time.Now().Add(60 * time.Second)
	for srv.clients() < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("the server accepted %d of %d connections in 60 s", srv.clients(), n)
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}

// echoOnce sends msg on c and checks that the same bytes come back.
func echoOnce(c net.Conn, msg, got []byte) error {
	if _, err := c.Write(msg); err != nil {
		return err
	}
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return errors.New("the echo differs from the message")
	}
	return nil
}

// runEcho is one throughput measurement, clients and server in this process.
func runEcho(cfg echoConfig) (res echoResult, err error) {
	if err := raiseFileLimit(2*cfg.conns + 64); err != nil {
		return res, err
	}
	srv, addr, stop, err := startEchoServer(cfg)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, stop()) }()
	conns, err := dialEcho(addr, cfg.conns)
	if err != nil {
		return res, err
	}
	defer closeAll(conns)
	if err := waitClients(srv, cfg.conns); err != nil {
		return res, err
	}

	// Every read and write must finish by this deadline: a lost echo fails
	// the run instead of hanging it. Set once, outside the clock.
	limit := time.Now().Add(cfg.dur + time.Minute)
	if cfg.msgs > 0 {
		limit = time.Now().Add(time.Duration(cfg.msgs)*time.Second/10 + time.Minute)
	}
	for _, c := range conns {
		c.SetDeadline(limit)
	}
	var (
		total    atomic.Int64
		slowest  atomic.Int64
		stopping atomic.Bool
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	begin := make(chan struct{})
	for i, c := range conns {
		wg.Go(func() {
			msg := make([]byte, cfg.size)
			got := make([]byte, cfg.size)
			<-begin
			var k int
			var worst time.Duration
			for ; cfg.msgs == 0 || k < cfg.msgs; k++ {
				if cfg.msgs == 0 && stopping.Load() {
					break
				}
				// A message tells its client and its number, so that a
				// misrouted or stale echo is caught.
				for j := range msg {
					msg[j] = byte(i>>(8*(j%4))) ^ byte(k+j)
				}
				t0 := time.Now()
				err := echoOnce(c, msg, got)
				worst = max(worst, time.Since(t0))
				if err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("client %d, message %d: %w", i, k, err)
					}
					errMu.Unlock()
					break
				}
			}
			total.Add(int64(k))
			for {
				old := slowest.Load()
				if int64(worst) <= old || slowest.CompareAndSwap(old, int64(worst)) {
					break
				}
			}
		})
	}
	start := time.Now()
	close(begin)
	if cfg.msgs == 0 {
		time.Sleep(cfg.dur)
		stopping.Store(true)
	}
	wg.Wait()
	res = echoResult{msgs: total.Load(), elapsed: time.Since(start), slowest: time.Duration(slowest.Load())}
	if firstErr != nil {
		return res, firstErr
	}
	if cfg.msgs > 0 && res.msgs != int64(cfg.msgs)*int64(cfg.conns) {
		return res, fmt.Errorf("%d echoes, want %d", res.msgs, cfg.msgs*cfg.conns)
	}
	return res, nil
}

// echoMem is a server's memory per idle connection, in bytes.
type echoMem struct{ heap, stack float64 }

// memNow is HeapAlloc and StackInuse after two collections.
func memNow() (heap, stack uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.StackInuse
}

// echoChild is the server process of -mem. It prints "ready ADDR", then for
// each line "measure N" on in waits for N connections and prints
// "mem HEAP STACK" less the baseline taken before printing ready; it ends
// at the end of in.
func echoChild(cfg echoConfig, in io.Reader, out io.Writer) error {
	if err := raiseFileLimit(cfg.conns + 64); err != nil {
		return err
	}
	srv, addr, stop, err := startEchoServer(cfg)
	if err != nil {
		return err
	}
	baseHeap, baseStack := memNow()
	fmt.Fprintf(out, "ready %s\n", addr)
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || f[0] != "measure" {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return errors.Join(err, stop())
		}
		if err := waitClients(srv, n); err != nil {
			return errors.Join(err, stop())
		}
		heap, stack := memNow()
		fmt.Fprintf(out, "mem %d %d\n", int64(heap)-int64(baseHeap), int64(stack)-int64(baseStack))
	}
	return stop()
}

// measureEchoMem starts the server in a child process, connects cfg.conns
// idle clients (each after one echo) and reads the child's numbers.
func measureEchoMem(cfg echoConfig) (m echoMem, err error) {
	if err := raiseFileLimit(cfg.conns + 64); err != nil {
		return m, err
	}
	exe, err := os.Executable()
	if err != nil {
		return m, err
	}
	cmd := exec.Command(exe, "echo", "-child", "-impl", cfg.impl, "-conns", strconv.Itoa(cfg.conns), "-limit", strconv.Itoa(cfg.limit))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return m, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return m, err
	}
	if err := cmd.Start(); err != nil {
		return m, err
	}
	defer func() {
		in.Close()
		err = errors.Join(err, cmd.Wait())
	}()
	out := bufio.NewScanner(outPipe)
	line := func(prefix string) ([]string, error) {
		if !out.Scan() {
			return nil, fmt.Errorf("the server process said nothing (want %q): %v", prefix, out.Err())
		}
		f := strings.Fields(out.Text())
		if len(f) == 0 || f[0] != prefix {
			return nil, fmt.Errorf("the server process said %q, want %q", out.Text(), prefix)
		}
		return f[1:], nil
	}
	f, err := line("ready")
	if err != nil || len(f) != 1 {
		return m, errors.Join(err, errors.New("bad ready line"))
	}
	conns, err := dialEcho(f[0], cfg.conns)
	if err != nil {
		return m, err
	}
	defer closeAll(conns)
	msg := make([]byte, cfg.size)
	got := make([]byte, cfg.size)
	for _, c := range conns {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if err := echoOnce(c, msg, got); err != nil {
			return m, err
		}
	}
	fmt.Fprintf(in, "measure %d\n", cfg.conns)
	if f, err = line("mem"); err != nil || len(f) != 2 {
		return m, errors.Join(err, errors.New("bad mem line"))
	}
	heap, err1 := strconv.ParseInt(f[0], 10, 64)
	stack, err2 := strconv.ParseInt(f[1], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return m, err
	}
	n := float64(cfg.conns)
	return echoMem{heap: float64(heap) / n, stack: float64(stack) / n}, nil
}
