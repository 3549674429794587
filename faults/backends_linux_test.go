//go:build linux

package faults_test

import (
	"strings"
	"testing"

	"github.com/evchan/evchan/poll"
)

// backends returns the backends of package poll that are distinct
// mechanisms on this platform: Default, and Portable where it is another
// (poll(2) beside epoll on Linux, beside kqueue on macOS and the BSDs; on
// Windows both are WSAPoll, on AIX and Solaris both poll(2)).
func backends() []poll.Backend {
	if poll.Portable.String() == poll.Default.String() {
		return []poll.Backend{poll.Default}
	}
	return []poll.Backend{poll.Default, poll.Portable}
}

// A backendSet is the backends one run of a test watches descriptors
// with, all of them in each container.
type backendSet struct {
	name string // "epoll", "poll", "epoll+poll" on Linux
	bs   []poll.Backend
}

// backendSets returns each backend of the platform alone, so that a loop
// over All waits in its kernel mechanism itself (a container with one
// poller), and, where there are several, all of them together in one
// container (a loop then waits for the supervisor's signal).
func backendSets() []backendSet {
	all := backends()
	var sets []backendSet
	var names []string
	for _, b := range all {
		sets = append(sets, backendSet{b.String(), []poll.Backend{b}})
		names = append(names, b.String())
	}
	if len(all) > 1 {
		sets = append(sets, backendSet{strings.Join(names, "+"), all})
	}
	return sets
}

// forEachPathAndBackends runs f as a subtest named by each path, and in it
// by each backend set.
func forEachPathAndBackends(t *testing.T, f func(t *testing.T, p path, set backendSet)) {
	t.Helper()
	forEachPath(t, func(t *testing.T, p path) {
		for _, set := range backendSets() {
			t.Run(set.name, func(t *testing.T) { f(t, p, set) })
		}
	})
}
