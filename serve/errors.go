package serve

import (
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// The errors of package serve. Each is a sentinel for errors.Is: the errors
// the package returns wrap one of them, with a text that says more.
var (
	// ErrServerClosed is returned by Serve once Shutdown or Close was called,
	// by Serve called after them, and by Conn.Do once the loop has ended; a
	// CloseHandler sees it for the connections the server closes as it stops.
	ErrServerClosed = errs.New("serve: server closed")

	// ErrIdleTimeout is what a CloseHandler sees for a connection closed by
	// Server.IdleTimeout: the peer sent nothing for that long, or, while
	// output waited for it, took none of it for that long.
	ErrIdleTimeout = errs.New("serve: idle timeout")

	// ErrConnClosed is returned by Conn.Write, Close and Do once the
	// connection is closed or closing (Close was called, or the server is
	// shutting down).
	ErrConnClosed = errs.New("serve: connection closed")

	// ErrInvalid is wrapped by the errors about bad input: a configuration
	// Serve cannot run with (a negative size, no Handler), a listener that
	// has no descriptor, a second Serve. It also satisfies
	// errors.Is(err, evchan.ErrInvalid), as the module's other packages'
	// errors about bad input do.
	ErrInvalid = errs.New("serve: invalid argument", evchan.ErrInvalid)

	// ErrPanicked is wrapped by the error a CloseHandler sees when a
	// handler of the connection panicked: the panic is recovered, reported
	// to Server.ErrorLog with its stack, and the connection closed, while the
	// loop goes on serving the others.
	ErrPanicked = errs.New("serve: handler panicked")
)
