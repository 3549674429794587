package serve

import (
	"context"
	"fmt"
	"log"
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/evchan/evchan/internal/errs"
)

// A Server serves TCP (or Unix stream) connections on every core: one loop
// per core, each an evchan container ranged over by one goroutine that
// calls the Handler itself. The zero value of each field but Handler is a
// sensible default. A Server serves one listener, once; it must not be
// copied after first use, and its fields must not change once Serve has
// begun.
type Server struct {
	// Handler serves the connections; it may also be an OpenHandler and a
	// CloseHandler. Required.
	Handler Handler

	// Loops is how many loops serve connections; 0 means
	// runtime.GOMAXPROCS(0), one per processor the program may use.
	Loops int

	// Balance chooses the loop of each accepted connection; the zero value
	// is LeastConnections.
	Balance Balance

	// IdleTimeout closes a connection that sends nothing for that long (and
	// one whose waiting output the peer does not take for that long), with
	// ErrIdleTimeout; 0 means never. It is the timeout of the connection's
	// readable event (evchan's R7), so it costs no timer per connection.
	IdleTimeout time.Duration

	// WriteBufferLimit is how many bytes of output may wait for a slow peer
	// before the loop stops reading from it (see Conn.Write); reading
	// resumes once the output drains below half of it. 0 means 64 KiB.
	WriteBufferLimit int

	// ReadBufferSize is the size of each loop's read buffer, the most one
	// OnData gets at once; per loop, not per connection. 0 means 64 KiB.
	ReadBufferSize int

	// ErrorLog is told of the errors no caller sees: a failed accept, the
	// descriptor limit reached, a panic in a handler (with its stack). It
	// is called on the loops' goroutines and must not block. Nil means the
	// log package's standard logger.
	ErrorLog func(err error)

	mu    sync.Mutex
	state serverState
	cfg   config
	ln    net.Listener
	loops []*loop
	acc   *acceptor
	wg    sync.WaitGroup // the loops, and the acceptor's goroutine where it has one
	done  chan struct{}  // closed when Serve's goroutines have all ended
	err   error          // what Serve returns
}

type serverState uint8

const (
	stateIdle serverState = iota
	stateServing
	stateStopping // Shutdown or Close under way
	stateClosed
)

// config is what Serve takes from the Server's fields, checked and with
// the defaults filled in; the loops read it without locking.
type config struct {
	handler    Handler
	opener     OpenHandler
	closer     CloseHandler
	loops      int
	balance    Balance
	idle       time.Duration
	writeLimit int
	readSize   int
	log        func(error)
}

const defaultBufferSize = 64 << 10

func (s *Server) config() (config, error) {
	cfg := config{
		handler:    s.Handler,
		loops:      s.Loops,
		balance:    s.Balance,
		idle:       s.IdleTimeout,
		writeLimit: s.WriteBufferLimit,
		readSize:   s.ReadBufferSize,
		log:        s.ErrorLog,
	}
	bad := func(format string, args ...any) (config, error) {
		return config{}, errs.New("serve: "+fmt.Sprintf(format, args...), ErrInvalid)
	}
	switch {
	case cfg.handler == nil:
		return bad("Server.Handler is nil")
	case cfg.loops < 0:
		return bad("Server.Loops is negative (%d)", cfg.loops)
	case cfg.balance > SourceAddrHash:
		return bad("Server.Balance is %v, not one of LeastConnections, RoundRobin, SourceAddrHash", cfg.balance)
	case cfg.idle < 0:
		return bad("Server.IdleTimeout is negative (%v)", cfg.idle)
	case cfg.writeLimit < 0:
		return bad("Server.WriteBufferLimit is negative (%d)", cfg.writeLimit)
	case cfg.readSize < 0:
		return bad("Server.ReadBufferSize is negative (%d)", cfg.readSize)
	}
	cfg.opener, _ = cfg.handler.(OpenHandler)
	cfg.closer, _ = cfg.handler.(CloseHandler)
	if cfg.loops == 0 {
		cfg.loops = runtime.GOMAXPROCS(0)
	}
	if cfg.writeLimit == 0 {
		cfg.writeLimit = defaultBufferSize
	}
	if cfg.readSize == 0 {
		cfg.readSize = defaultBufferSize
	}
	return cfg, nil
}

// ListenAndServe listens on the network address (net.Listen's network,
// "tcp" say, and address) and serves it: see Serve.
func (s *Server) ListenAndServe(network, address string) error {
	if _, err := s.config(); err != nil {
		return err // before taking the port
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln and serves them until Shutdown or Close,
// and then returns ErrServerClosed; it returns another error if it cannot
// start (a bad configuration: an error wrapping ErrInvalid) or if accepting
// fails for good (the listener closed by someone else, say). Serve always
// closes ln. It starts Loops goroutines, each with its container, and ends
// them all before it returns.
//
// On Unix the listener must have a descriptor (every *net.TCPListener and
// *net.UnixListener has one): its connections are accepted as raw
// non-blocking descriptors, never as net.Conn values. On Windows they are
// accepted with ln.Accept.
func (s *Server) Serve(ln net.Listener) error {
	if ln == nil {
		return errs.New("serve: Serve of a nil listener", ErrInvalid)
	}
	cfg, err := s.config()
	if err != nil {
		ln.Close()
		return err
	}
	s.mu.Lock()
	switch s.state {
	case stateIdle:
	case stateServing:
		s.mu.Unlock()
		ln.Close()
		return errs.New("serve: Serve called twice: a Server serves one listener", ErrInvalid)
	default:
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.cfg = cfg
	if err := s.start(ln); err != nil {
		s.mu.Unlock()
		ln.Close()
		return err
	}
	s.mu.Unlock()

	s.wg.Wait()
	s.acc.stop() // if a failure ended the loops
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = stateClosed
	close(s.done)
	return s.err
}

// start makes the loops and the acceptor and starts their goroutines.
// Called with mu held; on error, everything made is undone.
func (s *Server) start(ln net.Listener) (err error) {
	loops := make([]*loop, 0, s.cfg.loops)
	defer func() {
		if err != nil {
			for _, l := range loops {
				l.c.Close()
			}
		}
	}()
	for i := range s.cfg.loops {
		l, err := newLoop(s, i)
		if err != nil {
			return err
		}
		loops = append(loops, l)
		if err := l.startPoller(ln); err != nil {
			return err
		}
	}
	acc, err := newAcceptor(s, ln, loops)
	if err != nil {
		return err
	}
	s.ln, s.loops, s.acc = ln, loops, acc
	s.state, s.err, s.done = stateServing, ErrServerClosed, make(chan struct{})
	for _, l := range loops {
		s.wg.Go(l.run)
	}
	acc.start()
	return nil
}

// Shutdown stops the server gracefully. It stops accepting and closes the
// listener at once, so that the port is free; then every connection stops
// reading and is closed as soon as its waiting output is written (at once
// for most), its CloseHandler told ErrServerClosed. Once all are closed, or
// ctx is done, whichever comes first, it closes what is left, ends every
// goroutine the server started, and returns: nil, or ctx.Err() if ctx
// ended the wait. Serve returns ErrServerClosed. Shutdown before Serve
// makes Serve return ErrServerClosed at once; after Serve ended, it does
// nothing. A nil ctx is context.Background(). Shutdown waits for the
// loops: from a handler, which runs on one, call it in a goroutine of its
// own (go s.Shutdown(ctx)).
func (s *Server) Shutdown(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	loops, done, ok := s.stopping()
	if !ok {
		return nil
	}
	for _, l := range loops {
		l.post(task{op: opDrain})
	}
	var err error
wait:
	for _, l := range loops {
		select {
		case <-l.drained:
		case <-l.done:
		case <-ctx.Done():
			err = ctx.Err()
			break wait
		}
	}
	for _, l := range loops {
		l.stop()
	}
	<-done
	return err
}

// Close stops the server at once: it closes the listener and every
// connection, whatever output waits (the CloseHandlers are told
// ErrServerClosed), ends every goroutine the server started, and returns
// nil. Serve returns ErrServerClosed. Close during a Shutdown ends it now.
// Like Shutdown, it waits for the loops: not from a handler.
func (s *Server) Close() error {
	loops, done, ok := s.stopping()
	if !ok {
		return nil
	}
	for _, l := range loops {
		l.stop()
	}
	<-done
	return nil
}

// stopping moves the server to stopping, stops accepting, and returns the
// loops and the channel closed when Serve's goroutines have ended; ok is
// false if Serve is not under way (the server is then closed).
func (s *Server) stopping() (loops []*loop, done chan struct{}, ok bool) {
	s.mu.Lock()
	switch s.state {
	case stateIdle:
		s.state = stateClosed
		s.mu.Unlock()
		return nil, nil, false
	case stateClosed:
		s.mu.Unlock()
		return nil, nil, false
	}
	s.state = stateStopping
	loops, done, acc := s.loops, s.done, s.acc
	s.mu.Unlock()
	acc.stop()
	return loops, done, true
}

// fail ends serving because accepting failed for good: Serve returns err.
// Called on a loop, so it waits for nothing.
func (s *Server) fail(err error) {
	s.mu.Lock()
	if s.state == stateServing {
		s.err = err
		s.state = stateStopping
	}
	loops, acc := s.loops, s.acc
	s.mu.Unlock()
	s.logError(err)
	acc.stop()
	for _, l := range loops {
		l.stop()
	}
}

// LoopConns returns how many connections each loop serves now, loop 0
// first (Conn.Loop is a connection's index here); nil before Serve. A
// connection counts from the moment the acceptor gives it to its loop
// until it is closed.
func (s *Server) LoopConns() []int {
	s.mu.Lock()
	loops := s.loops
	s.mu.Unlock()
	if loops == nil {
		return nil
	}
	n := make([]int, len(loops))
	for i, l := range loops {
		n[i] = int(l.conns.Load())
	}
	return n
}

// Conns returns how many connections the server serves now: the sum of
// LoopConns.
func (s *Server) Conns() int {
	total := 0
	for _, n := range s.LoopConns() {
		total += n
	}
	return total
}

// Addr returns the address the server listens on, nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

func (s *Server) logError(err error) {
	if s.cfg.log != nil {
		s.cfg.log(err)
		return
	}
	log.Print(err)
}
