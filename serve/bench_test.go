package serve_test

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/evchan/evchan/serve"
)

// BenchmarkEcho is echo throughput: 100 connections on 127.0.0.1, each with
// one 64-byte message outstanding at a time, clients in this process (one
// goroutine each), against 1 loop and against one per processor. It
// reports messages per second; cmd/evbench's echo -impl serve compares it
// with the other servers.
//
//	go test -run='^$' -bench=Echo ./serve
func BenchmarkEcho(b *testing.B) {
	for _, loops := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("loops=%d", loops), func(b *testing.B) {
			const conns, size = 100, 64
			addr := start(b, &serve.Server{Handler: serve.HandlerFunc(func(c *serve.Conn, data []byte) { c.Write(data) }), Loops: loops})
			cs := make([]net.Conn, conns)
			for i := range cs {
				var err error
				if cs[i], err = net.Dial("tcp", addr); err != nil {
					b.Fatal(err)
				}
				defer cs[i].Close()
				cs[i].SetDeadline(time.Now().Add(time.Hour))
			}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			errs := make(chan error, conns)
			for i, c := range cs {
				n := b.N / conns
				if i < b.N%conns {
					n++
				}
				wg.Go(func() {
					msg := make([]byte, size)
					for range n {
						if _, err := c.Write(msg); err != nil {
							errs <- err
							return
						}
						if _, err := io.ReadFull(c, msg); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
		})
	}
}
