package serve

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
	"github.com/evchan/evchan/poll"
)

// A loop is one container and the one goroutine that ranges over its
// events and calls the handlers: gnet's event loop, made of evchan's
// pieces. Everything about its connections (reading, closing, the list of
// them) happens on that goroutine; other goroutines reach it through the
// inbox, a slice of tasks that a persistent virtual event announces.
type loop struct {
	s     *Server
	index int
	c     *evchan.Container
	wake  evchan.ID    // the virtual event triggered when the inbox fills
	buf   []byte       // the read buffer: OnData's data
	conns atomic.Int64 // connections given to the loop and not closed

	mu     sync.Mutex
	inbox  []task
	ended  bool        // the goroutine is done: post refuses
	posted atomic.Bool // the inbox is not empty: run it after the handler under way
	quit   atomic.Bool // end the goroutine at the next event

	// Touched by the loop's goroutine only.
	spare    []task // the inbox's other slice, swapped at each run
	head     *Conn  // the connections, linked through prev and next
	draining bool   // Shutdown: close each connection once its output is written
	drained  chan struct{}
	done     chan struct{} // closed when the goroutine has ended
}

// What a task asks of the loop.
type taskOp uint8

const (
	opAdopt  taskOp = iota + 1 // serve the accepted socket
	opClose                    // close conn now, telling err
	opFinish                   // Conn.Close: close conn once its output is written
	opDrain                    // Shutdown: finish every connection
	opDo                       // run fn
)

type task struct {
	op   taskOp
	sock sock
	conn *Conn
	err  error
	fn   func()
}

var errLoopEnded = errs.New("serve: the connection's loop has ended", ErrServerClosed)

func newLoop(s *Server, index int) (*loop, error) {
	l := &loop{
		s:       s,
		index:   index,
		c:       evchan.New(),
		buf:     make([]byte, s.cfg.readSize),
		drained: make(chan struct{}),
		done:    make(chan struct{}),
	}
	wake, err := l.c.Add(evchan.Virtual(false).Persistent(), l, 0)
	if err != nil {
		l.c.Close()
		return nil, errs.In(fmt.Sprintf("serve: loop %d", index), err)
	}
	l.wake = wake
	return l, nil
}

// startPoller has the container start its poller now, while descriptors
// are there to be had, rather than with its first connection: a process at
// its descriptor limit could not start it then. Adding an event on any
// socket does; the event goes at once, the poller stays until Close.
func (l *loop) startPoller(anySocket any) error {
	id, err := l.c.Add(poll.Readable(anySocket), nil, 0)
	if err != nil {
		return errs.In(fmt.Sprintf("serve: starting loop %d's poller", l.index), err)
	}
	l.c.Del(id)
	return nil
}

// run is the loop's goroutine. A handler is called on it, for one event at
// a time; the tasks posted meanwhile run right after each event.
func (l *loop) run() {
	defer close(l.done)
	defer l.end()
	for e := range l.c.All(evchan.Block) {
		switch d := e.Data.(type) {
		case *Conn:
			if e.ID == d.rid {
				l.readable(d, e)
			} else {
				l.writable(d, e)
			}
		case *acceptor:
			d.handle(l, e)
		}
		if l.posted.Load() { // the wake event's delivery lands here too
			l.runInbox()
		}
		if l.quit.Load() {
			break
		}
	}
}

// stop ends the goroutine at its next event, from any goroutine; the loop
// then closes what connections it still has.
func (l *loop) stop() {
	l.quit.Store(true)
	l.c.Trigger(l.wake)
}

// post hands t to the loop, from any goroutine; it fails once the loop has
// ended. The wake event is triggered for the first task only: the loop
// runs them all at once.
func (l *loop) post(t task) error {
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return errLoopEnded
	}
	l.inbox = append(l.inbox, t)
	first := len(l.inbox) == 1
	l.posted.Store(true)
	l.mu.Unlock()
	if first {
		l.c.Trigger(l.wake)
	}
	return nil
}

func (l *loop) runInbox() {
	l.mu.Lock()
	tasks := l.inbox
	l.inbox = l.spare[:0]
	l.posted.Store(false)
	l.mu.Unlock()
	for i := range tasks {
		l.runTask(tasks[i])
		tasks[i] = task{}
	}
	l.spare = tasks[:0]
}

func (l *loop) runTask(t task) {
	switch t.op {
	case opAdopt:
		l.adopt(t.sock)
	case opClose:
		l.closeConn(t.conn, t.err)
	case opFinish:
		l.finish(t.conn, nil)
	case opDrain:
		l.draining = true
		for c := l.head; c != nil; {
			next := c.next
			l.finish(c, ErrServerClosed)
			c = next
		}
		l.checkDrained()
	case opDo:
		l.call(nil, t.fn)
	}
}

func (l *loop) checkDrained() {
	if l.draining && l.head == nil {
		select {
		case <-l.drained:
		default:
			close(l.drained)
		}
	}
}

// call runs a handler, recovering its panic: the loop goes on serving the
// other connections, and c (if not nil) is closed with an error wrapping
// ErrPanicked.
func (l *loop) call(c *Conn, f func()) {
	defer func() {
		if r := recover(); r != nil {
			err := errs.New(fmt.Sprintf("serve: handler panicked: %v", r), ErrPanicked)
			l.s.logError(errs.New(fmt.Sprintf("%v\n%s", err, debug.Stack()), err))
			if c != nil {
				l.closeConn(c, err)
			}
		}
	}()
	f()
}

// end is the goroutine's last act: it closes every connection left, runs
// or undoes the tasks still posted, and closes the container.
func (l *loop) end() {
	for l.head != nil {
		l.closeConn(l.head, ErrServerClosed)
	}
	l.mu.Lock()
	l.ended = true
	tasks := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	for _, t := range tasks {
		switch t.op {
		case opAdopt:
			t.sock.close()
			l.conns.Add(-1)
		case opDo:
			l.call(nil, t.fn)
		}
	}
	l.c.Close()
}
