package sources

import (
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// Readable is poll.Readable: the Spec of a one-shot event (the draft's "r";
// Persistent: "R") that fires with reason evchan.Readable when fd has data
// to read, hung up, or failed. fd is an int or uintptr, any syscall.Conn
// (every net.Conn and net.Listener, and *os.File), or a value with an
// Fd() uintptr method. On Windows it must be a socket: any other handle is
// refused, by Spec.Err and so by Parse already. Package poll says what each
// platform watches with.
func Readable(fd any) evchan.Spec { return poll.Readable(fd) }

// Writable is poll.Writable: the draft's "w" and "W", reason
// evchan.Writable.
func Writable(fd any) evchan.Spec { return poll.Writable(fd) }

// Exception is poll.Exception: the draft's "x" and "X", reason
// evchan.Exception, for out-of-band or priority data.
func Exception(fd any) evchan.Spec { return poll.Exception(fd) }

// descriptorParser is the parser of a descriptor letter: the draft's source
// is the descriptor itself.
func descriptorParser(spec func(any) evchan.Spec) parser {
	return func(source any) (evchan.Spec, error) {
		s := spec(source)
		return s, s.Err()
	}
}
