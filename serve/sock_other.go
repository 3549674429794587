//go:build !unix && !windows

package serve

import (
	"errors"
	"net"
	"runtime"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// On Plan 9, js and wasip1 package poll watches no descriptor: Serve
// refuses with an error wrapping errors.ErrUnsupported.
type sock struct{}

func (sock) read([]byte) (int, error)  { return 0, errors.ErrUnsupported }
func (sock) write([]byte) (int, error) { return 0, errors.ErrUnsupported }
func (sock) close() error              { return nil }
func (sock) remoteAddr() net.Addr      { return nil }
func (sock) localAddr() net.Addr       { return nil }

func (c *Conn) pollTarget() any { return nil }

type acceptor struct{}

func newAcceptor(*Server, net.Listener, []*loop) (*acceptor, error) {
	return nil, errs.New("serve: no descriptor events on "+runtime.GOOS, errors.ErrUnsupported)
}

func (*acceptor) start()                     {}
func (*acceptor) stop()                      {}
func (*acceptor) handle(*loop, evchan.Event) {}
