package serve

// A Handler serves the connections of a Server. Its OnData is called on the
// loop that owns the connection, with what one read took: data is the
// loop's read buffer, valid until OnData returns (copy what you keep).
// A handler must not block: every connection of the loop waits for it.
// Long work goes to a goroutine of its own, which writes the answer with
// Conn.Write (safe from any goroutine).
//
// A Handler may also implement OpenHandler and CloseHandler.
type Handler interface {
	OnData(c *Conn, data []byte)
}

// An OpenHandler is told of each new connection, on its loop, before any
// OnData for it: the place to set Conn.SetData, or to greet the peer.
type OpenHandler interface {
	OnOpen(c *Conn)
}

// A CloseHandler is told once of each connection's end, on its loop, after
// its last OnData and while its socket is still open. err says why: io.EOF
// (the peer closed), ErrIdleTimeout, ErrServerClosed (Shutdown or Close),
// the system's error of a failed read or write (syscall.ECONNRESET, say),
// an error wrapping ErrPanicked, or nil after Conn.Close.
type CloseHandler interface {
	OnClose(c *Conn, err error)
}

// HandlerFunc makes a function a Handler.
type HandlerFunc func(c *Conn, data []byte)

// OnData calls f(c, data).
func (f HandlerFunc) OnData(c *Conn, data []byte) { f(c, data) }
