//go:build linux

package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	registerChain(chainImpl{
		name:     "epoll",
		doc:      "a raw level-triggered epoll loop on one goroutine, no evchan: the floor (-t: a heap of deadlines, as libevent)",
		timeouts: true,
		open:     func(cfg chainConfig) (chainRunner, error) { return openEpollChain(cfg, false) },
	})
	registerChain(chainImpl{
		name:     "epoll-oneshot",
		doc:      "a raw epoll loop with EPOLLONESHOT, re-armed by EPOLL_CTL_MOD after each read: what that design costs (-t)",
		timeouts: true,
		open:     func(cfg chainConfig) (chainRunner, error) { return openEpollChain(cfg, true) },
	})
}

// epollChain is bench.c's loop written directly on epoll, the least a Go
// program can pay: one goroutine, no channel, no lock. With -t it also pays
// what such a loop pays for a timeout on every event, as libevent does: a
// heap of deadlines, a clock read per wake-up, a deadline moved per event.
type epollChain struct {
	chainState
	epfd     int
	oneshot  bool
	timeouts *loopTimeouts // nil without -t
	events   [256]unix.EpollEvent
}

func openEpollChain(cfg chainConfig, oneshot bool) (chainRunner, error) {
	p, err := openPairs(cfg.pairs)
	if err != nil {
		return nil, err
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		p.close()
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	return &epollChain{
		chainState: chainState{cfg: cfg, pairs: p},
		epfd:       epfd,
		oneshot:    oneshot,
		timeouts:   newLoopTimeouts(cfg),
	}, nil
}

func (x *epollChain) mask() uint32 {
	if x.oneshot {
		return unix.EPOLLIN | unix.EPOLLONESHOT
	}
	return unix.EPOLLIN
}

// prepare registers every pair again and, with -t, restarts every
// deadline, as bench.c's event_del and event_add.
func (x *epollChain) prepare() error {
	if x.timeouts != nil {
		x.timeouts.restart(len(x.pairs.r))
	}
	return registerPairs(x.epfd, x.pairs, x.mask())
}

// registerPairs unregisters and registers every read end again in epfd, for
// events, as bench.c does before each run. The event's data is the pair's
// index, as bench.c's callback argument.
func registerPairs(epfd int, pairs *socketPairs, events uint32) error {
	for i, fd := range pairs.r {
		unix.EpollCtl(epfd, unix.EPOLL_CTL_DEL, fd, nil) // ENOENT before the first run
		ev := unix.EpollEvent{Events: events, Fd: int32(i)}
		if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return fmt.Errorf("epoll_ctl add pair %d: %w", i, err)
		}
	}
	return nil
}

func (x *epollChain) run() (chainRun, error) {
	start := time.Now()
	tm := x.timeouts
	if tm != nil {
		tm.started(start)
	}
	if err := x.kickoff(); err != nil {
		return chainRun{}, err
	}
	for !x.done() {
		// Blocking is harmless: while a byte is in flight some pair is
		// readable, so this returns at once, as bench.c's non-blocking
		// event_loop does. With -t the wait ends at the earliest deadline,
		// as a loop with timeouts must.
		msec := -1
		if tm != nil {
			msec = tm.waitMsec()
		}
		n, err := unix.EpollWait(x.epfd, x.events[:], msec)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return chainRun{}, fmt.Errorf("epoll_wait: %w", err)
		}
		if tm != nil {
			if err := tm.woke(); err != nil {
				return chainRun{}, err
			}
		}
		for _, ev := range x.events[:n] {
			idx := int(ev.Fd)
			if err := x.readCB(idx); err != nil {
				return chainRun{}, err
			}
			if x.oneshot {
				// The cost being measured: one more system call per event
				// to watch the descriptor again, after the read.
				rearm := unix.EpollEvent{Events: x.mask(), Fd: int32(idx)}
				if err := unix.EpollCtl(x.epfd, unix.EPOLL_CTL_MOD, x.pairs.r[idx], &rearm); err != nil {
					return chainRun{}, fmt.Errorf("epoll_ctl mod pair %d: %w", idx, err)
				}
			}
			if tm != nil {
				tm.handled(idx)
			}
		}
	}
	return x.result(time.Since(start)), nil
}

func (x *epollChain) close() error {
	err := unix.Close(x.epfd)
	if perr := x.pairs.close(); err == nil {
		err = perr
	}
	return err
}
