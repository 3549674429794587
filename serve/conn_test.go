package serve_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/serve"
)

// Bad configurations and listeners get an error wrapping ErrInvalid (and
// evchan.ErrInvalid), never a panic, and the listener is closed.
func TestBadInput(t *testing.T) {
	h := serve.HandlerFunc(func(*serve.Conn, []byte) {})
	cases := map[string]*serve.Server{
		"no handler":        {},
		"negative loops":    {Handler: h, Loops: -1},
		"unknown balance":   {Handler: h, Balance: 9},
		"negative timeout":  {Handler: h, IdleTimeout: -1},
		"negative limit":    {Handler: h, WriteBufferLimit: -1},
		"negative read buf": {Handler: h, ReadBufferSize: -1},
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			err = s.Serve(ln)
			if !errors.Is(err, serve.ErrInvalid) || !errors.Is(err, evchan.ErrInvalid) {
				t.Fatalf("Serve = %v, want an error wrapping ErrInvalid", err)
			}
			if !strings.HasPrefix(err.Error(), "serve: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
				t.Error("Serve left the listener open")
			}
			if err := s.ListenAndServe("tcp", "127.0.0.1:0"); !errors.Is(err, serve.ErrInvalid) {
				t.Fatalf("ListenAndServe = %v, want ErrInvalid", err)
			}
		})
	}
	if err := (&serve.Server{Handler: h}).Serve(nil); !errors.Is(err, serve.ErrInvalid) {
		t.Fatalf("Serve(nil) = %v, want ErrInvalid", err)
	}
	if got := serve.Balance(9).String(); got != "Balance(9)" {
		t.Errorf("Balance(9).String() = %q", got)
	}
}

// A second Serve on a serving Server is refused, and closes its listener.
func TestServeTwice(t *testing.T) {
	s := &serve.Server{Handler: &echo{}, Loops: 1}
	start(t, s)
	waitFor(t, "serving", func() bool { return s.Addr() != nil })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln); !errors.Is(err, serve.ErrInvalid) {
		t.Fatalf("a second Serve = %v, want ErrInvalid", err)
	}
}

// protocol is a handler that exercises the Conn API: "close" closes from
// the handler, "later" answers from another goroutine, "do" runs a
// function on the loop, "panic" panics; anything else is echoed.
type protocol struct {
	echo
	mu     sync.Mutex
	closed map[string]error // CloseHandler's, by the client's address
	remote net.Addr
	local  net.Addr
}

// session is the protocol's Conn.Data.
type session struct {
	messages int
	client   string
}

func (p *protocol) OnOpen(c *serve.Conn) {
	p.echo.OnOpen(c)
	c.SetData(&session{client: c.RemoteAddr().String()})
	p.mu.Lock()
	p.remote, p.local = c.RemoteAddr(), c.LocalAddr()
	p.mu.Unlock()
}

func (p *protocol) OnData(c *serve.Conn, data []byte) {
	c.Data().(*session).messages++
	switch cmd := string(data); cmd {
	case "close":
		c.Write([]byte("bye"))
		if err := c.Close(); err != nil {
			panic(err)
		}
		if _, err := c.Write([]byte("more")); !errors.Is(err, serve.ErrConnClosed) {
			panic("a Write after Close did not fail")
		}
		if err := c.Close(); !errors.Is(err, serve.ErrConnClosed) {
			panic("a second Close did not fail")
		}
	case "later":
		go func() { c.Write([]byte("later")) }() // data is the loop's: not used here
	case "do":
		go func() {
			c.Do(func() { c.Write([]byte("did " + string(rune('0'+c.Data().(*session).messages)))) })
		}()
	case "panic":
		panic("on purpose")
	default:
		c.Write(data)
	}
}

func (p *protocol) OnClose(c *serve.Conn, err error) {
	p.echo.OnClose(c, err)
	p.mu.Lock()
	if p.closed == nil {
		p.closed = make(map[string]error)
	}
	p.closed[c.Data().(*session).client] = err
	p.mu.Unlock()
}

// closeError waits for the CloseHandler's call for client, and returns
// what it was told.
func (p *protocol) closeError(t *testing.T, client net.Conn) error {
	t.Helper()
	var err error
	waitFor(t, "the CloseHandler", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		var ok bool
		err, ok = p.closed[client.LocalAddr().String()]
		return ok
	})
	return err
}

func exchange(t *testing.T, c net.Conn, send, want string) {
	t.Helper()
	if _, err := c.Write([]byte(send)); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("after %q: %v", send, err)
	}
	if string(got) != want {
		t.Fatalf("after %q got %q, want %q", send, got, want)
	}
}

func TestConnAPI(t *testing.T) {
	var logged []error
	var logMu sync.Mutex
	p := &protocol{}
	s := &serve.Server{Handler: p, Loops: 2, ErrorLog: func(err error) {
		logMu.Lock()
		logged = append(logged, err)
		logMu.Unlock()
	}}
	addr := start(t, s)

	t.Run("addresses", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		exchange(t, c, "hi", "hi")
		p.mu.Lock()
		remote, local := p.remote, p.local
		p.mu.Unlock()
		if remote == nil || remote.String() != c.LocalAddr().String() {
			t.Errorf("RemoteAddr = %v, want the client's %v", remote, c.LocalAddr())
		}
		if local == nil || local.String() != c.RemoteAddr().String() {
			t.Errorf("LocalAddr = %v, want %v", local, c.RemoteAddr())
		}
	})
	t.Run("from another goroutine", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		exchange(t, c, "later", "later")
	})
	t.Run("do", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		exchange(t, c, "do", "did 1")
	})
	t.Run("close from the handler", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		exchange(t, c, "close", "bye")
		expectEOF(t, c)
		if err := p.closeError(t, c); err != nil {
			t.Fatalf("CloseHandler told %v after Conn.Close, want nil", err)
		}
	})
	t.Run("peer closes", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		exchange(t, c, "x", "x")
		c.Close()
		if err := p.closeError(t, c); !errors.Is(err, io.EOF) {
			t.Fatalf("CloseHandler told %v, want io.EOF", err)
		}
	})
	t.Run("panic", func(t *testing.T) {
		c := dial(t, addr, 1)[0]
		other := dial(t, addr, 1)[0]
		exchange(t, other, "first", "first") // opened before the panic
		c.Write([]byte("panic"))
		expectEOF(t, c)
		if err := p.closeError(t, c); !errors.Is(err, serve.ErrPanicked) {
			t.Fatalf("CloseHandler told %v, want ErrPanicked", err)
		}
		logMu.Lock()
		n := len(logged)
		text := ""
		if n > 0 {
			text = logged[n-1].Error()
		}
		logMu.Unlock()
		if !strings.Contains(text, "on purpose") || !strings.Contains(text, "goroutine") {
			t.Errorf("ErrorLog got %q, want the panic with its stack", text)
		}
		exchange(t, other, "still", "still") // the loops go on
	})
}

// A Write of nothing writes nothing; Buffered is 0 with nothing waiting.
func TestWriteNothing(t *testing.T) {
	got := make(chan [2]int, 1)
	s := &serve.Server{Loops: 1, Handler: serve.HandlerFunc(func(c *serve.Conn, data []byte) {
		n, _ := c.Write(nil)
		got <- [2]int{n, c.Buffered()}
		c.Write(bytes.ToUpper(data))
	})}
	addr := start(t, s)
	c := dial(t, addr, 1)[0]
	exchange(t, c, "abc", "ABC")
	if r := <-got; r != [2]int{0, 0} {
		t.Fatalf("Write(nil), Buffered = %v, want 0, 0", r)
	}
}
