//go:build linux || windows

package poll_test

import (
	"errors"
	"net"
	"os"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// fdFunc is a value with an Fd method that reports what it holds.
type fdFunc uintptr

func (f fdFunc) Fd() uintptr { return uintptr(f) }

// R15: what is not an open descriptor is refused by Add with an error
// wrapping both ErrBadDescriptor and evchan.ErrInvalid, for every kind, and
// nothing already in the container is lost or disturbed.
func TestBadDescriptors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := rawPipe(t)
		kept := add(t, c, b.Readable(r).Persistent(), "kept", 0)

		closedFile, _ := osPipe(t)
		closedFile.Close()
		client, _ := tcpPair(t)
		client.Close()
		closedNumber, w2 := rawPipe(t)
		closeFd(t, w2)
		closeFd(t, closedNumber) // nothing is opened until the Adds below

		bad := []struct {
			name string
			fd   any
		}{
			{"nil", nil},
			{"int -1", -1},
			{"string", "3"},
			{"closed *os.File", closedFile},
			{"closed net.Conn", client},
			{"Fd() of a closed file", fdFunc(^uintptr(0))},
			{"uintptr of -1", ^uintptr(0)},
			{"int naming no open descriptor", closedNumber},
			{"net.Conn that is no syscall.Conn", struct{ net.Conn }{}},
			{"nil *net.TCPConn", (*net.TCPConn)(nil)},
			{"nil *os.File", (*os.File)(nil)},
			{"nil pointer whose Fd would panic", (*fdValue)(nil)},
		}
		for _, bd := range bad {
			for _, spec := range []evchan.Spec{b.Readable(bd.fd), b.Writable(bd.fd).Persistent(), b.Exception(bd.fd)} {
				id, err := c.Add(spec, bd.name, 0)
				if err == nil {
					t.Errorf("Add(%s) of %s succeeded (ID %d), want an error (R15)", spec.Letter(), bd.name, id)
					c.Del(id)
					continue
				}
				if !errors.Is(err, poll.ErrBadDescriptor) || !errors.Is(err, evchan.ErrInvalid) {
					t.Errorf("Add(%s) of %s: %v, want an error wrapping ErrBadDescriptor and evchan.ErrInvalid (R15)", spec.Letter(), bd.name, err)
				}
			}
		}

		// The container is intact: the event added before is there and works.
		if n := c.Len(); n != 1 {
			t.Errorf("Len = %d after the refused Adds, want 1 (R15)", n)
		}
		writeByte(t, w)
		e, before := until(t, c, kept, "the event added before the refused ones")
		want(t, e, kept, evchan.Readable)
		if len(before) > 0 {
			t.Errorf("got %v before it: refused Adds made events (R15)", before)
		}
	})
}

// fdValue has Fd on its value: called through a nil *fdValue, it panics.
type fdValue struct{ fd uintptr }

func (f fdValue) Fd() uintptr { return f.fd }
