package serve_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/evchan/evchan/serve"
)

// echoSizes are the messages each connection of TestEchoEveryByte sends:
// some larger than the read buffer, so that they come in pieces, and one
// larger than the write limit and the socket buffers, so that the echo
// waits in the output buffer and reading pauses. Under Wine, whose WSAPoll
// takes milliseconds per wake-up, the large ones would take minutes.
func echoSizes() (sizes []int, readBuffer int) {
	if runtime.GOOS == "windows" {
		return []int{1, 64, 5000}, 0
	}
	return []int{1, 64, 999, 1000, 4096, 70000}, 1000
}

// A few hundred connections over N loops, each sending messages of several
// sizes: every byte comes back, in order, and every loop served some of
// them.
func TestEchoEveryByte(t *testing.T) {
	sizes, readBuffer := echoSizes()
	for _, loops := range []int{0, 4} {
		for _, b := range []serve.Balance{serve.LeastConnections, serve.RoundRobin, serve.SourceAddrHash} {
			t.Run(fmt.Sprintf("loops=%d/%v", loops, b), func(t *testing.T) {
				h := &echo{}
				s := &serve.Server{Handler: h, Loops: loops, Balance: b, ReadBufferSize: readBuffer}
				addr := start(t, s)
				const n = 200
				conns := dial(t, addr, n)
				want := loops
				if want == 0 {
					want = runtime.GOMAXPROCS(0)
				}
				waitFor(t, "every connection counted", func() bool { return s.Conns() == n })
				per := s.LoopConns()
				if len(per) != want {
					t.Fatalf("LoopConns has %d loops, want %d", len(per), want)
				}
				for i, k := range per {
					if k == 0 {
						t.Errorf("loop %d serves no connection of %d: %v", i, n, per)
					}
				}
				var wg sync.WaitGroup
				errs := make(chan error, n)
				for i, c := range conns {
					wg.Go(func() {
						for round, size := range sizes {
							msg := make([]byte, size)
							for j := range msg {
								msg[j] = byte(i + round*7 + j)
							}
							// Write and read at once: a message larger than the
							// socket buffers would otherwise wait for its echo.
							werr := make(chan error, 1)
							go func() { _, err := c.Write(msg); werr <- err }()
							got := make([]byte, size)
							_, rerr := io.ReadFull(c, got)
							if err := <-werr; err != nil {
								errs <- fmt.Errorf("conn %d write %d bytes: %v", i, size, err)
								return
							}
							if rerr != nil {
								errs <- fmt.Errorf("conn %d read %d bytes: %v", i, size, rerr)
								return
							}
							if !bytes.Equal(got, msg) {
								errs <- fmt.Errorf("conn %d: the echo of %d bytes differs", i, size)
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
				shutdown(t, s)
				opened, closed := h.counts()
				if opened != n || closed[serve.ErrServerClosed] != n {
					t.Errorf("opened %d, closed %v; want %d opened and closed by the server", opened, closed, n)
				}
			})
		}
	}
}
