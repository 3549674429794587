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
		name: "epoll-handoff",
		doc:  "the raw epoll loop on two goroutines: a poller hands each event over a channel to a consumer that says when it is done; the floor for taking events from a channel",
		open: openHandoffChain,
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
// no container, no lock, no timer, a raw non-blocking epoll_wait first.
type handoffChain struct {
	chainState
	epfd, stopfd int
	events       chan int32    // the poller's hand-over, unbuffered like evchan's C; closed when it ends
	ack          chan struct{} // the consumer's "done", which C has no way to say
	pollerErr    error         // why it ended early, set before events closes
}

func openHandoffChain(cfg chainConfig) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	x := &handoffChain{
		chainState: chainState{cfg: cfg, pairs: p},
		epfd:       -1,
		stopfd:     -1,
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
// poller, registered with the data -1, which no pair has.
func (x *handoffChain) openPoller() error {
	var err error
	if x.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	if x.stopfd, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return fmt.Errorf("eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: -1}
	if err := unix.EpollCtl(x.epfd, unix.EPOLL_CTL_ADD, x.stopfd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl add eventfd: %w", err)
	}
	return nil
}

// poll is the poller's goroutine: look without blocking, block only when
// nothing is ready, hand over each ready pair and wait for its ack. It
// ends when close writes to stopfd, which it reports with the data -1.
func (x *handoffChain) poll() {
	defer close(x.events)
	var events [256]unix.EpollEvent
	for {
		n, err := epollWaitNow(x.epfd, events[:])
		if err == nil && n == 0 {
			n, err = unix.EpollWait(x.epfd, events[:], -1)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			x.pollerErr = fmt.Errorf("epoll_wait: %w", err)
			return
		}
		for _, ev := range events[:n] {
			if ev.Fd < 0 {
				return // stopfd
			}
			x.events <- ev.Fd
			<-x.ack
		}
	}
}

func (x *handoffChain) prepare() error { return registerPairs(x.epfd, x.pairs, unix.EPOLLIN) }

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
	for _, fd := range []int{x.stopfd, x.epfd} {
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
