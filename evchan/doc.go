// Package evchan is an event container: one goroutine watches timers,
// virtual triggers, descriptors, signals, Windows handles and sources of its
// own through one channel, C, the way the LuaEvents draft (Mike Pall and
// Diego Nehab's event API for LuaSocket) describes.
//
// A container holds events. Each is added with Add from a Spec (what it
// watches and whether it is one-shot or persistent), data of yours handed
// back with every delivery (Event.Data), and an optional timeout. Events that fire are
// delivered on C, or through a loop:
//
//	c := evchan.New()
//	defer c.Close()
//	c.Add(evchan.Timer(time.Second).Persistent(), "tick", 0)
//	for e := range c.All(evchan.Block) {
//		fmt.Println(e.Reason, e.Data)
//	}
//
// or alongside other channels:
//
//	select {
//	case e := <-c.C:
//		handle(e)
//	case <-ctx.Done():
//		return ctx.Err()
//	}
//
// # Kinds
//
// Virtual events (Virtual, the draft's v/V) and timers (Timer, t/T) are
// native. Every other kind plugs in through the Source interface, with its
// constructor in the package that watches it: poll.Readable, Writable and
// Exception (r/R, w/W, x/X), sigs.Signal (s/S), winhandle.Handle and
// Messages (h/H, m/M); package sources lists them, takes the draft's
// letters (Parse), and adds sources made of Go values (Done, Recv). Users
// write their own kinds the same way (Custom). What watches each kind, by
// platform:
//
//	kind               Linux        macOS, BSDs          other Unix   Windows
//	v V  virtual       the container itself, everywhere
//	t T  timer         one deadline heap under one runtime timer, everywhere
//	r R  readable      epoll        kqueue               poll(2)      WSAPoll, sockets only
//	w W  writable      epoll        kqueue               poll(2)      WSAPoll, sockets only
//	x X  exception     EPOLLPRI     EVFILT_EXCEPT (*)    POLLPRI      WSAPoll POLLRDBAND (out-of-band data)
//	s S  signal        os/signal    os/signal            os/signal    os.Interrupt, SIGTERM
//	h H  handle        -            -                    -            waiter goroutines, 63 handles each
//	m M  message       -            -                    -            a message thread per container
//
// (*: FreeBSD and NetBSD have no EVFILT_EXCEPT; there x needs poll(2),
// poll.Portable.) Package poll watches r, w and x, and its documentation
// details the BSDs; package sigs watches s, package winhandle h and m. On
// Windows, descriptor events watch sockets only; another handle is refused
// with an error wrapping poll.ErrBadDescriptor. A kind a platform cannot watch is refused
// by Add with an error wrapping errors.ErrUnsupported, never silently
// ignored.
//
// # Guarantees
//
// The rules, in short; the project's contract, [CONTRACT.md], states each
// in full, with the edges decided and the tests that hold it (a test names
// the rule it holds: // R7).
//
//   - R1 A one-shot event is deleted the moment it is delivered, whatever the
//     reason; a persistent one stays until Del, Clear or Close.
//   - R2 IDs are unique within a container and never reused; 0 is never one.
//     Trigger and Del on an unknown ID report false, SetData and SetTimeout
//     an error wrapping ErrNotFound.
//   - R3 A pending event is delivered once however often it fired meanwhile;
//     Event.Count says how often. Pending work is bounded by the number of
//     events, never by the rate of their sources.
//   - R4 Pending events are delivered in the order they became pending; a
//     persistent event goes to the back after each delivery. A ready
//     descriptor becomes pending within 64 deliveries, whatever else is
//     pending, or one round of the descriptors already ready when more
//     are (see "Fairness").
//   - R5 Trigger makes a virtual event pending; Once adds one already
//     triggered. A trigger from any goroutine wakes a waiting consumer.
//   - R6 A timer never fires before its deadline on the monotonic clock; a
//     persistent timer keeps a fixed-rate schedule, and ticks that fall while
//     it is pending coalesce.
//   - R7 A timeout delivers an event with reason Timeout if it was not
//     delivered for its own reason in time. It restarts at each delivery of a
//     persistent event and at each SetTimeout. A real firing before the
//     delivery wins over the timeout.
//   - R8 SetData replaces an event's data, SetTimeout its timeout.
//   - R9 Once Del returns, the event is never delivered, and its timer or
//     registration is released.
//   - R10 Stop ends loops in progress; pending events stay pending.
//   - R11 Clear deletes every event; the container stays usable.
//   - R12 Close is Clear plus the end of every goroutine the container
//     started; then C is closed.
//   - R13 Loops wait as their Mode says: Block, NoWait, Within(d) or Auto.
//   - R14 Every method is safe from any goroutine, and the container never
//     calls user code while holding a lock.
//   - R15 Bad input gets an error wrapping ErrInvalid (or ErrClosed, or
//     errors.ErrUnsupported) and disturbs nothing already in the container.
//   - R16 The draft's type letters translate one to one (sources.Parse).
//
// # Slow consumers
//
// C is unbuffered and an event is only taken out of the container when a
// consumer receives it, so a consumer that falls behind sees coalesced events
// (R3) in FIFO order (R4), never an unbounded backlog, and control calls never
// wait for it. A consumer that stops receiving costs nothing while it is
// away: the container's goroutine sleeps, however fast its timers tick.
//
// So the Event a receive from C takes was made when the container offered
// it, and for a persistent timer, whose ticks need no goroutine to be
// counted, the ticks that fall while that Event waits for a receiver are
// counted in the timer's next delivery: none is lost, and a consumer that
// sums Count over its deliveries has every tick. An event that a loop over
// All, or Next in NoWait mode, takes from the pending queue itself is
// counted up to the moment it is taken.
//
// # Fairness
//
// Pending events go out in the order they became pending (R4). A source
// that some goroutine of its own has to notice (package poll's poller,
// waiting in the kernel) could still lag behind a container kept busy by
// other events, such as a virtual event triggered anew at each delivery:
// so the container asks such services to look, from the goroutine that
// delivers, once every 64 deliveries (Prober). A descriptor that is ready
// becomes pending within 64 deliveries (package poll's pollers look less
// often while more than 64 of their events are ready and not yet taken:
// within as many deliveries as there are such events), and is then
// delivered after the events pending before it, at most one delivery of
// each.
//
// # C or a loop
//
// Both deliver the same events under the same rules; they differ in cost
// and in when a persistent event is re-armed (allowed to fire again).
//
// An event received from C is handed over by the container's goroutine,
// which re-arms it right after the hand-over: two goroutine switches per
// event, and a thread wake-up when the two goroutines run on different
// processors.
//
// A loop over All takes the events already pending itself, in its own
// goroutine, and re-arms the event it delivered when its body asks for the
// next one (or when the loop ends), as an event loop polls again after its
// callbacks have run. So a descriptor the body has just read is not
// reported again for the data it took, and when the body makes the next
// descriptor ready (a write to a peer, a chain of events), the next step
// finds it with no hand-over at all: cmd/evbench's chain benchmark runs
// 1.2 to 2 times faster that way than receiving from C on two processors,
// though no faster on one, where a hand-over wakes nothing (BENCHMARKS.md).
// A body that hands the event to another goroutine instead of handling it
// holds the event (Hold) until that goroutine is done with it; package
// dispatch does so for every handler it runs.
//
// When nothing is pending, a loop waits in the kernel itself if it can:
// when the container's descriptors are watched by package poll (its one
// Waiter), the loop's goroutine calls epoll_wait, kevent or poll, and runs
// its body on the goroutine the readiness woke, as libevent's loop does;
// timers, Trigger and the other calls from other goroutines wake it. While
// events it took are held or not yet re-armed, or beside a step of Next,
// it waits for the container's goroutines to tell it something became
// pending instead.
//
// The other side of re-arming at the hand-over: an event received from C
// may report readiness that the poller saw again before the consumer had
// read what the previous delivery announced, a readiness that is gone by
// the time it is received (a read then finds nothing, which every
// consumer of readiness must allow for; package poll says so too). A
// program that closes or replaces a descriptor without deleting its event
// first, against the draft's advice, may thus receive, after the
// replacement, one delivery of what the old file had before it: never
// anything of the new file's. A loop over All re-arms after its body, and
// never reports what the body has read.
//
// While a loop over All runs, it is the consumer that events becoming
// pending wait for, whether it runs its body or waits: a goroutine
// receiving from C alongside gets them once the loop ends, or while a call
// of Next waits for one (from the body too). So a body that wants the next
// event itself calls Next; a receive from C in the body would wait until
// the loop ended.
//
// # Edges
//
// Where the draft is silent, the container decides so:
//
//   - A timeout or timer interval too long for the clock (a deadline more
//     than about 292 years after the container was made, beyond int64
//     nanoseconds) is accepted and never fires: time.Duration(math.MaxInt64)
//     means never. Such a timer still counts as timed for Auto (R13).
//     sources.Parse and the Lua binding, which take seconds, refuse a
//     number of seconds no Duration can hold.
//   - A timeout is one firing: a Timeout delivery has Count 1, a virtual
//     event's too. A real firing that comes before the delivery replaces
//     it, and Count then counts the real firings only (R7).
//   - A Set that gives a timeout replaces the clock: a Timeout delivery
//     still pending from the old one is withdrawn (R7, R8).
//   - Stop ends the loops running when it is called and does not latch: a
//     loop started after it runs as usual (R10).
//   - A loop ends when it finds the container empty at a step (R13): a body
//     that calls Clear and then Add goes on with the new event.
//   - A nil context.Context is context.Background() for Next, AllContext
//     and package dispatch.
//   - A panic in a Source's code is recovered and reported as an error
//     wrapping ErrPanicked: see Source for where each goes.
//   - A descriptor closed while registered is noticed at the latest by the
//     poller's next sweep of its descriptors, and its event then delivered
//     once with an error and deleted: see package poll, "Closed
//     descriptors".
//
// # Testing with synctest
//
// The package makes no system calls and starts no goroutine at package load:
// a container created inside a testing/synctest bubble runs on the bubble's
// virtual clock, so code that uses timers can be tested in microseconds.
//
// [CONTRACT.md]: https://github.com/evchan/evchan/blob/main/CONTRACT.md
package evchan
