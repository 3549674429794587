package poll

// interest is what a registration watches a descriptor for.
type interest uint8

const (
	wantRead interest = 1 << iota
	wantWrite
	wantPriority
)

// readiness is one descriptor's state as a kernel mechanism reports it.
type readiness struct {
	fd    int
	gen   uint32 // the registration generation the mechanism was given
	flags readyFlags
}

type readyFlags uint8

const (
	readyRead     readyFlags = 1 << iota
	readyWrite               // writable
	readyPriority            // out-of-band or priority data
	readyHangup              // the peer hung up: readable (EOF) and writable (EPIPE)
	readyError               // an error is pending on the descriptor
	readyInvalid             // the descriptor is not open (poll's POLLNVAL)
)

// mechanism is one kernel readiness interface: epoll, kqueue or poll(2).
// Its methods other than wait may be called while wait blocks, from other
// goroutines; wake makes a blocked wait return.
type mechanism interface {
	// watch starts watching fd, or changes what it is watched for. added
	// says whether the mechanism is watching fd already; gen is returned
	// with its readiness so that stale reports can be told apart.
	watch(fd int, gen uint32, want interest, added bool) error
	// unwatch stops watching fd. An error for a descriptor closed meanwhile
	// is expected and ignored by the caller.
	unwatch(fd int) error
	// wait blocks until a descriptor is ready or wake is called, and appends
	// what is ready to buf.
	wait(buf []readiness) ([]readiness, error)
	wake() error
	close() error
}

// peeker is a mechanism that can also poll without blocking: the poller
// then polls in the re-arming goroutine, which saves the hand-off to its
// own goroutine when something is ready already (see poller.Rearm).
type peeker interface {
	// peek is wait that returns at once, having found something or not.
	peek(buf []readiness) ([]readiness, error)
}

// errStale is returned by watch when the mechanism had lost fd: the
// descriptor it knew under that number was closed (R15).
type errStale struct{ err error }

func (e errStale) Error() string { return "poll: stale descriptor: " + e.err.Error() }
func (e errStale) Unwrap() error { return e.err }
