//go:build linux || windows

package poll_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
	"github.com/evchan/evchan/poll"
)

// The evchantest suite on R: delivery, R1, R3, level re-firing, R7, R9,
// R11, R12. A pipe is the subject: Fire writes a byte, and it stays
// readable until Reset reads everything (Level).
func TestConformanceReadable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
			r, w := rawPipe(t)
			return evchantest.Subject{
				Spec:   b.Readable(r),
				Fire:   func() { writeByte(t, w) },
				Reset:  func() { readAll(t, r) },
				Reason: evchan.Readable,
				Level:  true,
			}
		})
	})
}

// The suite on W: one end of a socket pair whose send buffer is full.
// Fire makes room (the peer reads everything), and the end stays writable
// until Reset fills the buffer again (Level). The same checks: R1, R3, R7,
// R9, R11, R12.
func TestConformanceWritable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
			s, peer := socketpair(t)
			fill(t, s)
			return evchantest.Subject{
				Spec:   b.Writable(s),
				Fire:   func() { readAll(t, peer) },
				Reset:  func() { fill(t, s) },
				Reason: evchan.Writable,
				Level:  true,
			}
		})
	})
}
