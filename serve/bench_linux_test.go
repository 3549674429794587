package serve_test

import (
	"context"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"github.com/evchan/evchan/serve"
	"golang.org/x/sys/unix"
)

// BenchmarkIdleConnMemory reports the heap a Server keeps per idle
// connection (B/conn): 5,000 connections, each after one 64-byte echo,
// with and without an idle timeout. The clients are raw descriptors, ints
// allocated before the first measure, so only the server's memory is
// counted, as in cmd/evbench's BenchmarkIdleReadableMemory. Target: at
// most 330 B/conn (issue 18).
//
//	go test -run='^$' -bench=IdleConnMemory ./serve
func BenchmarkIdleConnMemory(b *testing.B) {
	for _, idle := range []time.Duration{0, time.Hour} {
		b.Run("idle="+idle.String(), func(b *testing.B) {
			const n = 5000
			if err := raiseFileLimit(2*n + 100); err != nil {
				b.Skip(err)
			}
			var perConn float64
			for b.Loop() {
				perConn = idleConnMemory(b, n, idle)
			}
			b.ReportMetric(perConn, "B/conn")
		})
	}
}

func idleConnMemory(b *testing.B, n int, idle time.Duration) float64 {
	s := &serve.Server{Handler: serve.HandlerFunc(func(c *serve.Conn, data []byte) { c.Write(data) }), IdleTimeout: idle}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	defer func() {
		s.Shutdown(context.Background())
		<-served
	}()
	sa := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: ln.Addr().(*net.TCPAddr).Port}
	clients := make([]int, 0, n)
	defer func() {
		for _, fd := range clients {
			unix.Close(fd)
		}
	}()
	msg := make([]byte, 64)
	before := heapAfterGC()
	for range n {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, fd)
		if err := unix.Connect(fd, sa); err != nil {
			b.Fatal(err)
		}
		if _, err := unix.Write(fd, msg); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < len(msg); {
			k, err := unix.Read(fd, msg[got:])
			if err != nil || k == 0 {
				b.Fatalf("echo: %v", err)
			}
			got += k
		}
	}
	for s.Conns() < n {
		time.Sleep(time.Millisecond)
	}
	after := heapAfterGC()
	runtime.KeepAlive(clients)
	return float64(int64(after)-int64(before)) / float64(n)
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func raiseFileLimit(want int) error {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur >= uint64(want) {
		return nil
	}
	lim.Cur = min(uint64(want), lim.Max)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur < uint64(want) {
		return unix.EMFILE
	}
	return nil
}

// BenchmarkPauseResume is what pausing a connection's reading costs, per
// pause and resume, beside a plain delivery of its readable event
// ("deliver"): deleting its event and adding it again ("readd", what a
// Server does), or holding it (Container.Hold: "hold", whose re-arm moves
// to the release). Holding is cheaper, but package poll polls again only
// once every event it reported is re-armed, so a held connection would stop
// its whole loop: a Server re-adds.
func BenchmarkPauseResume(b *testing.B) {
	for _, how := range []string{"deliver", "hold", "readd"} {
		b.Run(how, func(b *testing.B) {
			fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer unix.Close(fds[0])
			defer unix.Close(fds[1])
			unix.Write(fds[1], []byte{1}) // readable for good
			c := evchan.New()
			defer c.Close()
			id, err := c.Add(poll.Readable(fds[0]).Persistent(), nil, 0)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			for b.Loop() {
				e, ok := c.Next(ctx, evchan.Block)
				if !ok {
					b.Fatal("no event")
				}
				switch how {
				case "hold":
					c.Hold(e.ID)()
				case "readd":
					c.Del(id)
					if id, err = c.Add(poll.Readable(fds[0]).Persistent(), nil, 0); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
