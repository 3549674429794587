// Package sources is the catalogue of event kinds a user picks from to fill
// an evchan.Container: the table below says which constructor makes each
// kind, in the package that watches it, and this package adds Parse, which
// takes the LuaEvents draft's type letters (R16), and the sources made of
// Go values: Done, for a context.Context, and Recv, for a channel.
//
// Every constructor returns the one-shot form; Spec.Persistent makes the
// persistent one, as the draft's uppercase letters do. Constructors never
// fail: a Spec built from bad input makes Container.Add return an error
// wrapping evchan.ErrInvalid.
//
// # Kinds
//
//	letter  constructor          source given          reason          available
//	v / V   evchan.Virtual       initial state (bool)  Triggered       everywhere
//	t / T   evchan.Timer         interval              Timeout         everywhere
//	r / R   poll.Readable        a descriptor          Readable        POSIX; sockets on Windows
//	w / W   poll.Writable        a descriptor          Writable        POSIX; sockets on Windows
//	x / X   poll.Exception       a descriptor          Exception       POSIX (FreeBSD, NetBSD: poll.Portable only); sockets on Windows
//	s / S   sigs.Signal          an os.Signal          Signal          POSIX; os.Interrupt and SIGTERM on Windows
//	h / H   winhandle.Handle     a windows.Handle      Signaled        Windows
//	m / M   winhandle.Messages   the message queue     Message         Windows
//	-       sources.Done         a context.Context     Triggered       everywhere
//	-       sources.Recv         a channel             Triggered       everywhere
//	-       evchan.Custom        your own evchan.Source, as it fires
//
// poll.Portable.Readable and its siblings choose the poll(2) backend
// rather than the platform's best (package poll).
//
// A kind the platform lacks is refused with an error wrapping
// errors.ErrUnsupported, never a silent no-op: always by Add, and already
// by Parse for the letters h, H, m and M outside Windows. (On FreeBSD and
// NetBSD, whose kqueue has no EVFILT_EXCEPT, Add refuses x unless the
// event is made with poll.Portable.) Any
// event may also be delivered with reason Timeout if it was added with a
// timeout (R7).
//
// # Letters
//
// Parse(letter, source) accepts what the draft's ev:add(type, source) did:
//
//   - "v", "V": nil (not triggered, the draft's first form) or a bool, the
//     initial state: true makes the event pending at once.
//   - "t", "T": the interval, as the draft's number of seconds (float64,
//     float32 or any integer type; fractions allowed) or as a time.Duration.
//     It must be positive. Any interval a time.Duration can hold is
//     accepted and one reaching past the container's clock (about 292
//     years) never fires, so time.Duration(math.MaxInt64) says never; a
//     number of seconds no Duration can hold (more than about 9.22e9, or
//     +Inf), or NaN, is refused with an error wrapping evchan.ErrInvalid
//     rather than clamped into another timer than the one written.
//   - "r", "R", "w", "W", "x", "X": the descriptor: an int or uintptr, any
//     syscall.Conn (net.Conn, net.Listener, *os.File), or a value with an
//     Fd() uintptr method (the draft's getfd rule, in Go).
//   - "s", "S": an os.Signal, a signal name ("SIGUSR1" or "USR1", any case)
//     or a signal number.
//   - "h", "H": the handle: a windows.Handle, a syscall.Handle or a uintptr.
//   - "m", "M": nil: the queue is the container's message thread's
//     (winhandle.ThreadID).
//
// A lowercase letter gives a one-shot event, an uppercase one a persistent
// event, and Spec.Letter reports the letter given. An unknown letter gets an
// error wrapping ErrUnknownLetter (which is also an evchan.ErrInvalid); a
// source of the wrong type or value one wrapping evchan.ErrInvalid.
//
// # Sources of one's own
//
// Done and Recv are written the way a user writes a kind of their own: a type
// implementing evchan.Source, wrapped with evchan.Custom. Package evchantest
// checks such a source against the container's rules.
package sources
