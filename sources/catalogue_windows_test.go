package sources_test

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"github.com/evchan/evchan/sources"
)

// R16 on Windows: the draft's descriptor letters take sockets, as the
// draft has them there, and their events arrive.
func TestR16SocketLetters(t *testing.T) {
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ln.SetDeadline(time.Now().Add(10 * time.Second))
	server, err := ln.AcceptTCP()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	c := evchan.New()
	defer c.Close()

	readable, err := sources.Parse("R", server)
	if err != nil {
		t.Fatal(err)
	}
	writable, err := sources.Parse("w", client)
	if err != nil {
		t.Fatal(err)
	}
	if readable.Letter() != "R" || writable.Letter() != "w" {
		t.Fatalf("letters %q %q", readable.Letter(), writable.Letter())
	}
	rid, err := c.Add(readable, "server", 0)
	if err != nil {
		t.Fatal(err)
	}
	wid, err := c.Add(writable, "client", 0)
	if err != nil {
		t.Fatal(err)
	}
	client.Write([]byte{1})
	got := map[evchan.ID]evchan.Reason{}
	for len(got) < 2 {
		select {
		case e := <-c.C:
			got[e.ID] = e.Reason
			if e.ID == rid {
				c.Del(rid) // persistent, and the byte is still there: once is enough
			}
		case <-time.After(10 * time.Second): // only a hang gets here
			t.Fatalf("only %v arrived", got)
		}
	}
	if got[rid] != evchan.Readable || got[wid] != evchan.Writable {
		t.Fatalf("got %v", got)
	}
}

// R15 on Windows: what is no socket is refused by Parse itself, a file or
// a pipe as much as a bad number (Windows watches sockets only).
func TestR15ParseRefusesNonSockets(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, tc := range []struct {
		letter string
		source any
	}{
		{"r", nil},
		{"W", -1},
		{"r", 3},
		{"R", r},
		{"x", w.Fd()},
		{"w", os.Stdout},
	} {
		if _, err := sources.Parse(tc.letter, tc.source); !errors.Is(err, poll.ErrBadDescriptor) || !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Parse(%q, %v) = %v, want an error wrapping poll.ErrBadDescriptor and evchan.ErrInvalid", tc.letter, tc.source, err)
		}
	}
}
