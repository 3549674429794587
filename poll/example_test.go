//go:build linux

package poll_test

import (
	"fmt"
	"os"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
)

// A persistent readable event on a pipe, read with the *os.File as usual.
func ExampleReadable() {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	c := evchan.New()
	defer c.Close()

	id, err := c.Add(poll.Readable(r).Persistent(), "pipe", time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	w.Write([]byte("hello"))
	e := <-c.C
	buf := make([]byte, 16)
	n, _ := r.Read(buf)
	fmt.Println(e.ID == id, e.Reason, e.Data, e.Source == r, string(buf[:n]))
	// Output: true readable pipe true hello
}

// A writable event fires while the descriptor has room.
func ExampleWritable() {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	c := evchan.New()
	defer c.Close()
	c.Add(poll.Writable(w), nil, 0)
	e := <-c.C
	fmt.Println(e.Reason, c.Len())
	// Output: writable 0
}

// Bad descriptors are refused before Add.
func ExampleException() {
	spec := poll.Exception(-1)
	fmt.Println(spec.Letter(), spec.Err() != nil)
	// Output: x true
}

// The Portable backend is poll(2), on every Unix system.
func ExampleBackend() {
	fmt.Println(poll.Default, poll.Portable)
	// Output: epoll poll
}
