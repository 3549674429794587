// Package poll provides descriptor events for evchan containers: the
// draft's readable (r/R), writable (w/W) and exception (x/X) kinds.
//
//	id, err := c.Add(poll.Readable(conn).Persistent(), client, 30*time.Second)
//
// A descriptor is whatever a Go program holds for an open file or socket:
// an int or uintptr, any syscall.Conn (every net.Conn and net.Listener, and
// *os.File), or a value with an Fd() uintptr method; on Windows also a
// windows.Handle or syscall.Handle. The program reads and writes it as
// usual, conn.Read included: a registration only watches, it never reads,
// never takes the runtime's locks, and never changes the descriptor's
// blocking mode.
//
// # Mechanisms
//
// Each container starts one poller goroutine per Backend with its first
// descriptor event, and ends it on Close. When a container has one
// poller, a loop over its All that has nothing to take waits in that
// poller's kernel wait itself (evchan.Waiter), so the events of a
// readiness are fired, and the loop's body run, on the goroutine the
// kernel woke: the poller goroutine stays out of the kernel while loops
// run, and waits again once they end, or while events the poller reported
// wait to be taken.
//
//	OS                                   Default   Portable   exception (x/X)
//	Linux, Android                       epoll     poll(2)    EPOLLPRI / POLLPRI
//	macOS, iOS, DragonFly, OpenBSD       kqueue    poll(2)    EVFILT_EXCEPT NOTE_OOB
//	FreeBSD, NetBSD                      kqueue    poll(2)    Portable only (POLLPRI)
//	AIX, Solaris, illumos                poll(2)   poll(2)    POLLPRI
//	Windows (sockets only)               WSAPoll   WSAPoll    POLLRDBAND
//	Plan 9, js, wasip1                   none: Add returns an error wrapping errors.ErrUnsupported
//
// On Windows, WSAPoll watches sockets only: every net.Conn and net.Listener,
// or a SOCKET given as a number or handle. Any other handle (a file, a
// pipe, a console) is refused with an error wrapping ErrBadDescriptor, by
// Spec.Err already. Both backends are WSAPoll there, so code that asks for
// Portable runs unchanged. Its exception events watch for out-of-band data
// (POLLRDBAND), since Windows refuses POLLPRI; Microsoft advises against
// TCP urgent data, whose meaning differs between TCP stacks.
// Windows before 10 version 2004 does not report a failed connect to
// WSAPoll: a w waiting for one there ends only by its timeout.
//
// # Semantics
//
// Events are level-triggered: a persistent event whose descriptor stays
// readable fires again after each delivery, and coalesces while pending
// (R3). The poller reports every ready descriptor (however many: it asks
// the kernel again while a poll fills its buffer), then polls again only
// once every event it reported was taken by a consumer, ended, or held, so
// an event waiting for a consumer costs no polling, and a delivery costs no
// system call beyond the consumer's own read or write. A held event
// (evchan.Container.Hold: a loop's body handed it to another goroutine, as
// package dispatch does) is not reported again before its release, and
// does not keep the container's other descriptors from being polled: a
// poll that waits and finds its descriptor ready has the kernel stop
// reporting that descriptor (one system call with epoll and kqueue, none
// with poll(2) and WSAPoll, which leave it out of their list), and the
// release undoes it (one more). A persistent
// event's timeout is kept by the container and re-applied on delivery
// without touching the kernel registration.
//
// The container also has the poller look, without blocking, once every 64
// deliveries (evchan.Prober): a descriptor that becomes ready while the
// container is busy with other events is pending within 64 deliveries,
// whatever else is pending. While W > 64 of the poller's events are
// reported and not yet taken (a server with thousands of connections
// ready), it looks once every W deliveries instead, since the kernel
// reports each of them again at every look: a descriptor is then pending
// within W deliveries, one round of those already ready.
//
// An x event on a descriptor that has no priority data to report, such as
// a regular file, never fires; r and w events on a regular file fire at
// once and after each delivery, as poll(2) reports such files always
// ready.
//
// A hang-up is delivered as readable (a read then returns EOF), to a
// writable event as writable (a write then fails), and to an exception event
// as exception, so that no event misses the end of its descriptor. An error
// condition is delivered to every kind with Event.Err set to ErrCondition;
// the event stays, and the descriptor's next read or write gives the cause.
// Out-of-band data (TCP urgent data) fires exception events.
//
// What is not guaranteed, as with every readiness interface: an event may
// come when a read would block after all (another reader got there first, or
// the poller looked again before the consumer read what the last event
// announced). Read without blocking: a descriptor in non-blocking mode, or a
// deadline on a net.Conn.
//
// # Closed descriptors
//
// Delete an event before closing its descriptor, as the draft says: once
// Del returns, nothing more is delivered for it (R9). If a descriptor is
// closed while registered anyway (R15), the container does not crash, no
// poller spins, and no event is ever delivered for the readiness of
// another file that took the number: every event on the closed descriptor
// is delivered once more, with Event.Err set to ErrClosedWhileRegistered
// and Last, and deleted. When that happens depends on what the kernel
// tells, since checking a descriptor costs a system call, which the poller
// cannot pay at every report:
//
//   - poll(2) and WSAPoll report a closed number at their next poll
//     (POLLNVAL), and the poller compares the file of every descriptor they
//     report with the one it watched: a number closed and reused by another
//     file fails at its first report.
//   - Adding the number again, to the same container, fails the old events
//     first.
//   - epoll and kqueue drop a closed descriptor silently. A descriptor
//     that is ready again in the very poll its own re-arm made, or that is
//     reported in 64 polls in a row, is checked (one system call): a
//     consumer that reads what each event announces seldom leaves a
//     descriptor so, and one whose number no longer names its file always
//     does. The first rule checks a descriptor three times at most, so
//     that a busy one soon costs nothing. This matters with epoll, which
//     keeps reporting a file closed under its number while another
//     descriptor keeps it open (a dup, a child process), under that
//     number, which reads another file or none: such an event is
//     delivered once for that old file's readiness and fails at the next
//     report, or within 64 for a descriptor checked three times before.
//   - Every 10 seconds (or, with more than 10,000 descriptors, every
//     millisecond per descriptor, so that checks take a fraction of a
//     percent of a processor) the poller checks every descriptor it
//     watches, so that an event whose descriptor was closed and never
//     reported again does not stay in the container unnoticed: it fails at
//     the latest then. An event with a timeout is delivered by its timeout
//     before that, as any other (R7).
//
// An event received from C may also report, once, readiness the old file
// had before the consumer read it: see "C or a loop" in package evchan.
//
// Windows reuses a closed socket's handle value at once, and no cheap call
// names the object behind a handle, so a socket is told from its successor
// by type, family, local port and stream peer: a socket that takes the
// value of a closed one between two polls goes unnoticed only while it is
// not yet bound or connected, and is then reported as the closed one's end.
//
// # Running out
//
// A descriptor event that the kernel refuses for want of resources (no
// descriptor left for a container's first poller, epoll's limit of watched
// descriptors, memory) makes Add fail with an error wrapping ErrResources
// and the system's error (syscall.EMFILE, say); the container is left as
// it was, its other events still delivered.
//
// Adding the same descriptor to two containers works: each has its own
// poller and sees its own events (R14). A regular file, which epoll cannot
// watch, is always ready, as poll(2) would report it.
package poll
