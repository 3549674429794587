//go:build linux

package main

import (
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

func init() {
	registerChain(chainImpl{
		name:     "epoll-handoff",
		doc:      "the raw epoll loop on two goroutines: a poller hands each event over a channel to a consumer that says when it is done; the floor for taking events from a channel (-t: the poller keeps the deadlines)",
		timeouts: true,
		open:     openHandoffChain,
	})
}

// handoffChain is the raw epoll loop with its poll and its callbacks on two
// goroutines, as any design that delivers events on a channel must have
// them: the least such a design can cost on the machine it runs on.
//
// It is given what no real one has: the consumer tells the poller when it
// has handled an event (the ack), so the poller never looks again too early
// and never reports a byte the consumer is about to read. A container whose
// users receive from a channel learns nothing when they are done; it has to
// guess (evchan yields once and looks). Everything else is the raw loop's:
// no container, no lock, a raw non-blocking epoll_wait first, and no timer
// but, with -t, the raw loop's heap of deadlines, which the poller owns as
// the goroutine that calls epoll_wait: it moves a pair's deadline when the
// consumer acks its event.
type handoffChain struct {
	chainState
	epfd, stopfd int
	restartfd    int           // with -t, prepare's request to restart every deadline; else -1
	timeouts     *loopTimeouts // nil without -t; the poller's alone once it runs
	events       chan int32    // the poller's hand-over, unbuffered like evchan's C; closed when it ends
	ack          chan struct{} // the consumer's "done", which C has no way to say
	pollerErr    error         // why it ended early, set before events closes
}

// The data of the poller's own eventfds, which no pair has.
const (
	stopData    = -1 // close: end
	restartData = -2 // prepare: restart every deadline, answered with restartData on events
)

func openHandoffChain(cfg chainConfig) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	x := &handoffChain{
		chainState: chainState{cfg: cfg, pairs: p},
		epfd:       -1,
		stopfd:     -1,
		restartfd:  -1,
		timeouts:   newLoopTimeouts(cfg),
		events:     make(chan int32),
		ack:        make(chan struct{}),
	}
	if err := x.openPoller(); err != nil {
		x.closeFds()
		return nil, err
	}
	go x.poll()
	return x, nil
}

// openPoller makes the epoll instance and the eventfd that stops the
// poller, registered with the data stopData, and with -t the one that
// restarts its deadlines, with restartData.
func (x *handoffChain) openPoller() error {
	var err error
	if x.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	if x.stopfd, err = x.openEventfd(stopData); err != nil {
		return err
	}
	if x.timeouts != nil {
		if x.restartfd, err = x.openEventfd(restartData); err != nil {
			return err
		}
	}
	return nil
}

// openEventfd makes an eventfd and registers it with data.
func (x *handoffChain) openEventfd(data int32) (int, error) {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return -1, fmt.Errorf("eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: data}
	if err := unix.EpollCtl(x.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("epoll_ctl add eventfd: %w", err)
	}
	return fd, nil
}

// poll is the poller's goroutine: look without blocking, block only when
// nothing is ready, hand over each ready pair and wait for its ack. It
// ends when close writes to stopfd, which it reports with stopData.
//
// With -t it is the raw loop's: the blocking wait ends at the earliest
// deadline, the clock is read once per wake-up (loopTimeouts says why), a
// deadline that passed ends the poller with an error, and each ack moves
// the pair's deadline.
func (x *handoffChain) poll() {
	defer close(x.events)
	tm := x.timeouts
	var events [256]unix.EpollEvent
	for {
		n, err := epollWaitNow(x.epfd, events[:])
		if err == nil && n == 0 {
			msec := -1
			if tm != nil {
				msec = tm.waitMsec()
			}
			n, err = unix.EpollWait(x.epfd, events[:], msec)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			x.pollerErr = fmt.Errorf("epoll_wait: %w", err)
			return
		}
		if tm != nil {
			if err := tm.woke(); err != nil {
				x.pollerErr = err
				return
			}
		}
		for _, ev := range events[:n] {
			if ev.Fd < 0 {
				if ev.Fd != restartData {
					return // stopfd
				}
				if err := x.restart(); err != nil {
					x.pollerErr = err
					return
				}
				continue
			}
			x.events <- ev.Fd
			<-x.ack
			if tm != nil {
				tm.handled(int(ev.Fd))
			}
		}
	}
}

// restart is the poller's side of prepare with -t: take the request from
// restartfd, restart every deadline and say so.
func (x *handoffChain) restart() error {
	var buf [8]byte
	if _, err := unix.Read(x.restartfd, buf[:]); err != nil {
		return fmt.Errorf("eventfd read: %w", err)
	}
	x.timeouts.restart(len(x.pairs.r))
	x.events <- restartData
	return nil
}

// prepare registers every pair again and, with -t, has the poller, which
// owns the deadlines, restart them all, as bench.c's event_del and
// event_add.
func (x *handoffChain) prepare() error {
	if err := registerPairs(x.epfd, x.pairs, unix.EPOLLIN); err != nil || x.timeouts == nil {
		return err
	}
	if _, err := unix.Write(x.restartfd, []byte{1, 0, 0, 0, 0, 0, 0, 0}); err != nil {
		return fmt.Errorf("eventfd write: %w", err)
	}
	switch idx, ok := <-x.events; {
	case !ok:
		return x.pollerErr
	case idx != restartData:
		return fmt.Errorf("pair %d handed over between runs", idx) // close acks it
	}
	return nil
}

func (x *handoffChain) run() (chainRun, error) {
	start := time.Now()
	if err := x.kickoff(); err != nil {
		return chainRun{}, err
	}
	for !x.done() {
		idx, ok := <-x.events // a plain receive, as from evchan's C
		if !ok {
			return chainRun{}, x.pollerErr
		}
		err := x.readCB(int(idx))
		if err != nil {
			return chainRun{}, err // close stops the poller, waiting for the ack
		}
		x.ack <- struct{}{}
	}
	return x.result(time.Since(start)), nil
}

// close stops the poller and waits for it before closing what it polls.
// A run that failed may have left the poller handing over an event or
// waiting for its ack: close takes and acknowledges whatever it is given
// until the poller, reaching stopfd, ends.
func (x *handoffChain) close() error {
	var err error
	if _, werr := unix.Write(x.stopfd, []byte{1, 0, 0, 0, 0, 0, 0, 0}); werr != nil {
		err = fmt.Errorf("eventfd write: %w", werr)
	} else {
	drain:
		for {
			select {
			case _, ok := <-x.events:
				if !ok {
					break drain
				}
			case x.ack <- struct{}{}:
			}
		}
	}
	if cerr := x.closeFds(); err == nil {
		err = cerr
	}
	return err
}

func (x *handoffChain) closeFds() error {
	var err error
	for _, fd := range []int{x.stopfd, x.restartfd, x.epfd} {
		if fd < 0 {
			continue
		}
		if cerr := unix.Close(fd); err == nil {
			err = cerr
		}
	}
	if perr := x.pairs.close(); err == nil {
		err = perr
	}
	return err
}

// epollWaitNow is epoll_wait with a timeout of zero as a raw system call,
// as package poll makes it: it never blocks, so it needs none of the
// scheduler's bookkeeping for a call that might.
func epollWaitNow(epfd int, events []unix.EpollEvent) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
