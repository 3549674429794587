package serve_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/evchan/evchan/serve"
)

// An echo server: OnData runs on the connection's loop, with the loop's
// read buffer, and writes it back; Write never blocks.
func Example() {
	s := &serve.Server{
		Handler:     serve.HandlerFunc(func(c *serve.Conn, data []byte) { c.Write(data) }),
		IdleTimeout: time.Minute, // close clients silent for a minute
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprint(conn, "hello")
	reply := make([]byte, 5)
	io.ReadFull(conn, reply)
	fmt.Printf("%s\n", reply)

	// Shutdown closes the listener, lets waiting output go, closes every
	// connection and ends every goroutine of the server.
	s.Shutdown(context.Background())
	_, err = conn.Read(reply)
	fmt.Println(err, <-served)
	conn.Close()
	// Output:
	// hello
	// EOF serve: server closed
}
