// Command loadgen is the benchmark's load generator, a process of its own:
// -conns connections to an echo server, each with one message outstanding
// (write -size bytes, read -size bytes back, check them), one goroutine per
// connection as cmd/evbench's client does. After -warmup it counts for -d
// and prints one line:
//
//	echo impl=... conns=... size=... msgs_per_s=... p50_us=... p99_us=... msgs=... seconds=... p999_us=... max_us=...
//
// Latency is per message (write to last byte read), from a log-linear
// histogram; messages count when they complete within the window.
//
// With -idle it opens -conns connections, echoes once on each, prints
// "idle conns=N" and holds them until SIGTERM or SIGINT, so that a script can
// read the server's memory meanwhile.
//
// Any error (a refused or lost connection, an echo that differs from its
// message) ends it with status 1. Connections are closed with SO_LINGER 0,
// so that runs back to back leave no TIME_WAIT behind.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type config struct {
	addr    string
	impl    string
	conns   int
	size    int
	dur     time.Duration
	warmup  time.Duration
	idle    bool
	dialers int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:9000", "the echo server")
	flag.StringVar(&cfg.impl, "impl", "?", "the server's name, for the output line")
	flag.IntVar(&cfg.conns, "conns", 1000, "connections")
	flag.IntVar(&cfg.size, "size", 64, "message size, bytes (at least 16)")
	flag.DurationVar(&cfg.dur, "d", 2*time.Second, "how long to count")
	flag.DurationVar(&cfg.warmup, "warmup", 500*time.Millisecond, "load before counting")
	flag.BoolVar(&cfg.idle, "idle", false, "open -conns connections, echo once on each, print \"idle conns=N\" and hold them until SIGTERM")
	flag.IntVar(&cfg.dialers, "dialers", 16, "connections being dialed at once")
	flag.Parse()
	if cfg.conns < 1 || cfg.size < 16 || cfg.dur <= 0 || cfg.warmup < 0 || cfg.dialers < 1 {
		fmt.Fprintln(os.Stderr, "loadgen: need -conns >= 1, -size >= 16, -d > 0, -warmup >= 0, -dialers >= 1")
		os.Exit(2)
	}
	if err := raiseFileLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	var err error
	if cfg.idle {
		err = runIdle(cfg)
	} else {
		err = runLoad(cfg)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %s conns=%d size=%d: %v\n", cfg.impl, cfg.conns, cfg.size, err)
		os.Exit(1)
	}
}

func raiseFileLimit() error {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return err
	}
	rl.Cur = rl.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
}

// dial opens n connections, cfg.dialers at a time.
func dial(cfg config) ([]*net.TCPConn, error) {
	conns := make([]*net.TCPConn, cfg.conns)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, cfg.dialers)
	d := net.Dialer{Timeout: 30 * time.Second}
	for w := range errs {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= cfg.conns {
					return
				}
				c, err := d.Dial("tcp", cfg.addr)
				if err != nil {
					errs[w] = fmt.Errorf("connection %d: %w", i, err)
					next.Store(int64(cfg.conns))
					return
				}
				conns[i] = c.(*net.TCPConn)
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

// closeAll resets every connection: no TIME_WAIT left behind.
func closeAll(conns []*net.TCPConn) {
	for _, c := range conns {
		if c != nil {
			c.SetLinger(0)
			c.Close()
		}
	}
}

// client is one connection's message: a body that says which connection it
// is, and a header with the message's number, so that a misrouted, stale or
// damaged echo is caught.
type client struct {
	c   *net.TCPConn
	msg []byte
	got []byte
	seq uint64
}

func newClient(c *net.TCPConn, i, size int) *client {
	cl := &client{c: c, msg: make([]byte, size), got: make([]byte, size)}
	for j := range cl.msg {
		cl.msg[j] = byte(i>>(8*(j%3))) ^ byte(j*7)
	}
	binary.LittleEndian.PutUint32(cl.msg[8:], uint32(i))
	return cl
}

func (cl *client) echo() error {
	cl.seq++
	binary.LittleEndian.PutUint64(cl.msg, cl.seq)
	if _, err := cl.c.Write(cl.msg); err != nil {
		return err
	}
	if _, err := io.ReadFull(cl.c, cl.got); err != nil {
		return fmt.Errorf("message %d: %w", cl.seq, err)
	}
	if !bytes.Equal(cl.got, cl.msg) {
		return fmt.Errorf("message %d: the echo differs from the message", cl.seq)
	}
	return nil
}

// Phases of a run.
const (
	warming int32 = iota
	counting
	stopping
)

func runLoad(cfg config) error {
	conns, err := dial(cfg)
	if err != nil {
		return err
	}
	defer closeAll(conns)
	// A lost echo fails the run instead of hanging it.
	limit := time.Now().Add(cfg.warmup + cfg.dur + time.Minute)
	var (
		phase    atomic.Int32
		msgs     atomic.Int64
		h        hist
		maxLat   atomic.Int64
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	for i, c := range conns {
		c.SetDeadline(limit)
		cl := newClient(c, i, cfg.size)
		wg.Go(func() {
			var n int64
			var worst time.Duration
			for phase.Load() != stopping {
				t0 := time.Now()
				err := cl.echo()
				lat := time.Since(t0)
				if err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("connection %d: %w", i, err)
						phase.Store(stopping)
					}
					errMu.Unlock()
					break
				}
				if phase.Load() == counting {
					n++
					h.add(i, lat)
					worst = max(worst, lat)
				}
			}
			msgs.Add(n)
			for {
				old := maxLat.Load()
				if int64(worst) <= old || maxLat.CompareAndSwap(old, int64(worst)) {
					break
				}
			}
		})
	}
	time.Sleep(cfg.warmup)
	phase.CompareAndSwap(warming, counting)
	start := time.Now()
	time.Sleep(cfg.dur)
	phase.CompareAndSwap(counting, stopping)
	elapsed := time.Since(start)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if msgs.Load() == 0 {
		return errors.New("no echo completed in the counting window")
	}
	q := h.quantiles(0.5, 0.99, 0.999)
	fmt.Printf("echo impl=%s conns=%d size=%d msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f msgs=%d seconds=%.3f p999_us=%.1f max_us=%.1f\n",
		cfg.impl, cfg.conns, cfg.size, float64(msgs.Load())/elapsed.Seconds(), q[0], q[1],
		msgs.Load(), elapsed.Seconds(), q[2], float64(maxLat.Load())/1000)
	return nil
}

func runIdle(cfg config) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	conns, err := dial(cfg)
	if err != nil {
		return err
	}
	defer closeAll(conns)
	for i, c := range conns {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if err := newClient(c, i, cfg.size).echo(); err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		c.SetDeadline(time.Time{})
	}
	fmt.Printf("idle conns=%d\n", len(conns))
	<-sigs
	return nil
}
