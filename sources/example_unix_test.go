//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sources_test

import (
	"fmt"
	"os"
	"syscall"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// Readable watches any descriptor a Go program holds, here an *os.File.
func ExampleReadable() {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Readable(r), "pipe", 0)
	w.Write([]byte("x"))
	e := <-c.C
	fmt.Println(e.Reason, e.Data)
	// Output: readable pipe
}

// Writable fires while a descriptor has room to write.
func ExampleWritable() {
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Writable(w), nil, 0)
	fmt.Println((<-c.C).Reason)
	// Output: writable
}

// Exception refuses what is no descriptor before Add.
func ExampleException() {
	fmt.Println(sources.Exception("not a descriptor").Err() != nil)
	// Output: true
}

// Signal catches a signal; the event's Value is the signal that arrived.
func ExampleSignal() {
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Signal(syscall.SIGWINCH), nil, 0)
	syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	e := <-c.C
	fmt.Println(e.Reason, e.Value)
	// Output: signal window changed
}
