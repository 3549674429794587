//go:build unix

package main

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// socketPairs are the workload's n AF_UNIX stream pairs, non-blocking:
// bytes for pair i are written to w[i] and read from r[i].
type socketPairs struct {
	r, w []int
}

func openPairs(n int) (*socketPairs, error) {
	p := &socketPairs{r: make([]int, 0, n), w: make([]int, 0, n)}
	for range n {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("socketpair (pair %d of %d): %w", len(p.r)+1, n, err)
		}
		p.r, p.w = append(p.r, fds[0]), append(p.w, fds[1])
		for _, fd := range fds {
			unix.CloseOnExec(fd)
			if err := unix.SetNonblock(fd, true); err != nil {
				p.close()
				return nil, fmt.Errorf("socketpair: non-blocking: %w", err)
			}
		}
	}
	return p, nil
}

func (p *socketPairs) close() error {
	var errs []error
	for i := range p.r {
		errs = append(errs, unix.Close(p.r[i]), unix.Close(p.w[i]))
	}
	p.r, p.w = nil, nil
	return errors.Join(errs...)
}

// raiseFileLimit makes sure the process may open need descriptors: 9,900
// pairs take 19,800. The Go runtime already lifts the soft limit to the hard
// one at start-up; this says clearly when even that is not enough.
func raiseFileLimit(need int) error {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	if uint64(rl.Cur) >= uint64(need) {
		return nil
	}
	setLimit(&rl.Cur, min(uint64(need), uint64(rl.Max)))
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return fmt.Errorf("setrlimit: %w", err)
	}
	if uint64(rl.Cur) < uint64(need) {
		return fmt.Errorf("need %d open files, the hard limit is %d (ulimit -Hn)", need, rl.Max)
	}
	return nil
}

// setLimit stores v in an Rlimit field, whose type differs between systems.
func setLimit[T int64 | uint64](dst *T, v uint64) { *dst = T(v) }

// chainState is bench.c's globals, for the implementations that handle
// every read event on one goroutine, as bench.c's one thread does.
type chainState struct {
	cfg   chainConfig
	pairs *socketPairs

	count    int // bytes read
	fired    int // bytes written: a at the start, then one per forward
	writes   int // forwards left
	spurious int // read events that found nothing
	buf      [1]byte
}

var oneByte = []byte("e")

// kickoff resets the counters and writes the first byte of each of the a
// active pairs, n/a apart: bench.c's run_once before its loop.
func (s *chainState) kickoff() error {
	s.count, s.fired, s.writes, s.spurious = 0, 0, s.cfg.writes, 0
	space := s.cfg.pairs / s.cfg.active
	for i := range s.cfg.active {
		if _, err := unix.Write(s.pairs.w[i*space], oneByte); err != nil {
			return fmt.Errorf("write to pair %d: %w", i*space, err)
		}
		s.fired++
	}
	return nil
}

// done is bench.c's loop condition: every byte written was read.
func (s *chainState) done() bool { return s.count == s.fired }

// readCB is bench.c's read_cb for pair idx: read one byte and, while writes
// remain, write one to the next pair. A read that would block is a spurious
// wake-up: it is counted and forwards nothing.
func (s *chainState) readCB(idx int) error {
	n, err := unix.Read(s.pairs.r[idx], s.buf[:])
	for err == unix.EINTR {
		n, err = unix.Read(s.pairs.r[idx], s.buf[:])
	}
	switch {
	case err == unix.EAGAIN:
		s.spurious++
		return nil
	case err != nil:
		return fmt.Errorf("read from pair %d: %w", idx, err)
	case n == 0:
		return fmt.Errorf("read from pair %d: end of file", idx)
	}
	s.count += n
	if s.writes > 0 {
		widx := idx + 1
		if widx >= s.cfg.pairs {
			widx -= s.cfg.pairs
		}
		if _, err := unix.Write(s.pairs.w[widx], oneByte); err != nil {
			return fmt.Errorf("write to pair %d: %w", widx, err)
		}
		s.writes--
		s.fired++
	}
	return nil
}

func (s *chainState) result(elapsed time.Duration) chainRun {
	return chainRun{elapsed: elapsed, read: s.count, spurious: s.spurious}
}
