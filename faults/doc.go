// Package faults holds evchan's fault suite: tests that inject what the
// kernel, the load and user code do wrong (descriptors closed or replaced
// under their events, running out of descriptors, a stalled consumer,
// signal storms, sources and services that fail) and check that every rule
// of the contract still holds.
//
// It has no API. FAULTS.md, at the repository's root, lists each fault,
// what the user sees when it happens, and the test that holds it.
//
// # Paths and backends
//
// A container delivers events on two paths, which are different code in
// package evchan ("C or a loop"): receives from C, which the supervisor
// goroutine offers each event on, and a loop over All, whose goroutine
// takes pending events itself and, when the container has one poller,
// waits in the kernel itself. Every test that takes events runs on both,
// as subtests named "C" and "All" (paths_test.go: a receiver takes a
// container's events on one path, each wait bounded by hangLimit; the
// All path pulls a loop over AllContext(ctx, Block) one step at a time
// with iter.Pull). A test uses one path for each container.
//
// The tests that watch descriptors run, under the path, on each backend of
// package poll the platform has (on Linux "epoll", poll.Default, and
// "poll", poll.Portable, each alone, so that a loop waits in that
// mechanism itself, and "epoll+poll", both in each container; where
// Portable is the same mechanism as Default, as on Windows, Default only);
// TestStalledConsumer has its own figures for each.
//
// One test runs on neither path: TestSourceServicesFail takes no events
// (it checks what Add, Service and Close return). Some run a loop over All
// of their own on both paths, never beside the path's loop: over a
// container of its own (the empty one of TestSourceWatchPanics), after
// Close (TestBadInputAfterClose), or once the path's loop has ended (the
// loop that Stop ends in TestSourceWatchBlocks). TestStalledConsumer has
// three consumers rather than two: "C" receives from C, "All" starts a
// loop over All after the stall, and "All-body" is a loop whose body
// stalls.
package faults
