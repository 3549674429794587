//go:build linux || windows || darwin || freebsd || netbsd || openbsd || dragonfly

package dispatch_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// tcpPair returns the two ends of a loopback TCP connection, closed when the
// test ends.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		client.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// A handler blocked on one connection does not keep the others' events
// from being handled: with Goroutines, the held event of the blocked one
// is not polled, the others are (Container.Hold, package poll).
func TestBlockedHandlerDoesNotStallOthers(t *testing.T) {
	for _, b := range []poll.Backend{poll.Default, poll.Portable} {
		t.Run(b.String(), func(t *testing.T) {
			c := evchan.New()
			defer c.Close()
			slowClient, slowServer := tcpPair(t)
			fastClient, fastServer := tcpPair(t)
			unblock := make(chan struct{})
			entered := make(chan struct{}, 1)
			slow := func(e evchan.Event) {
				select {
				case entered <- struct{}{}:
				default:
				}
				<-unblock // blocked, the data unread: its descriptor stays readable
				slowServer.SetReadDeadline(time.Now().Add(time.Second))
				slowServer.Read(make([]byte, 64))
			}
			handled := make(chan byte, 16)
			fast := func(e evchan.Event) {
				buf := make([]byte, 1)
				fastServer.SetReadDeadline(time.Now().Add(time.Second))
				if n, _ := fastServer.Read(buf); n == 1 {
					handled <- buf[0]
				}
			}
			if _, err := c.Add(b.Readable(slowServer).Persistent(), slow, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Add(b.Readable(fastServer).Persistent(), fast, 0); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- dispatch.Goroutines(ctx, c, 8) }()

			slowClient.Write([]byte{'s'})
			select {
			case <-entered:
			case <-ctx.Done():
				t.Fatal("the slow handler never ran")
			}
			for i := range 5 {
				if _, err := fastClient.Write([]byte{byte('0' + i)}); err != nil {
					t.Fatal(err)
				}
				select {
				case got := <-handled:
					if got != byte('0'+i) {
						t.Fatalf("handled %q, want %q", got, '0'+i)
					}
				case <-ctx.Done():
					close(unblock)
					t.Fatalf("write %d to the other connection not handled while a handler was blocked", i)
				}
			}
			close(unblock)
			cancel()
			if err := <-done; err != context.Canceled {
				t.Fatalf("Goroutines returned %v", err)
			}
		})
	}
}
