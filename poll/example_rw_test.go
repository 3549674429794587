//go:build linux

package poll_test

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// Read on each delivery of a persistent readable event, until the stream
// ends: ErrNotReady would be a spurious wake-up, io.EOF the end.
func ExampleRead() {
	r, w, _ := os.Pipe()
	defer r.Close()
	c := evchan.New()
	defer c.Close()
	c.Add(poll.Readable(r).Persistent(), "pipe", 0)
	w.Write([]byte("hello"))
	w.Close()

	buf := make([]byte, 16)
	for e := range c.All(evchan.Block) {
		n, err := poll.Read(r, buf)
		switch {
		case errors.Is(err, poll.ErrNotReady): // nothing after all: wait for the next event
		case errors.Is(err, io.EOF):
			fmt.Println("end of", e.Data)
			c.Del(e.ID) // before the descriptor closes (R9)
		case err != nil:
			fmt.Println(err)
			c.Del(e.ID)
		default:
			fmt.Printf("%q\n", buf[:n])
		}
	}
	// Output:
	// "hello"
	// end of pipe
}

// Write as far as it goes now: when the buffer fills, keep the rest for
// the descriptor's next writable event.
func ExampleWrite() {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	big := make([]byte, 1<<20) // more than a pipe holds
	n, err := poll.Write(w, big)
	fmt.Println(n < len(big), errors.Is(err, poll.ErrNotReady))
	rest := big[n:]
	fmt.Println(len(rest) > 0)
	// Output:
	// true true
	// true
}
