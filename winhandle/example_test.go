//go:build windows

package winhandle_test

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/winhandle"
	"golang.org/x/sys/windows"
)

// A persistent event on a manual-reset event fires while it is set, once
// per delivery, until it is reset.
func ExampleHandle() {
	ready, _ := windows.CreateEvent(nil, 1, 0, nil) // manual-reset, not set
	defer windows.CloseHandle(ready)                // after Close: Del before CloseHandle
	c := evchan.New()
	defer c.Close()

	id, _ := c.Add(winhandle.Handle(ready).Persistent(), "ready", 0)
	windows.SetEvent(ready)
	e := <-c.C
	fmt.Println(e.ID == id, e.Reason, e.Data, e.Count, e.Value == ready)
	windows.ResetEvent(ready) // or it fires again after this delivery
	// Output: true signaled ready 1 true
}

// Post sends a message to the container's message thread, which a message
// event delivers; Received reads the messages a delivery carries.
func ExamplePost() {
	const wmApp = 0x8000 // WM_APP
	c := evchan.New()
	defer c.Close()
	c.Add(winhandle.Messages().Persistent(), "inbox", 0)

	winhandle.Post(c, wmApp+1, 10, 20)
	winhandle.Post(c, wmApp+2, 30, 40)
	for n := 0; n < 2; {
		e := <-c.C
		for _, m := range winhandle.Received(e) {
			fmt.Printf("%v %#x(%d, %d)\n", e.Data, m.Message, m.WParam, m.LParam)
			n++
		}
	}
	// Output:
	// inbox 0x8001(10, 20)
	// inbox 0x8002(30, 40)
}

// ThreadID gives the thread that any code, in this process or another,
// posts to with PostThreadMessage, even before a message event is added:
// the message waits in the thread's queue.
func ExampleThreadID() {
	postThreadMessage := windows.NewLazySystemDLL("user32.dll").NewProc("PostThreadMessageW")
	c := evchan.New()
	defer c.Close()

	tid, _ := winhandle.ThreadID(c)
	postThreadMessage.Call(uintptr(tid), 0x8000, 1, 2) // WM_APP(1, 2)

	c.Add(winhandle.Messages(), nil, 0) // one-shot: one message
	e := <-c.C
	m := winhandle.Received(e)[0]
	fmt.Printf("%v %d %#x(%d, %d)\n", e.Reason, e.Count, m.Message, m.WParam, m.LParam)
	// Output: message 1 0x8000(1, 2)
}

// A Timeout delivery of a message event carries no message.
func ExampleReceived() {
	c := evchan.New()
	defer c.Close()
	c.Add(winhandle.Messages(), nil, 1) // one nanosecond: it times out
	e := <-c.C
	fmt.Println(e.Reason, winhandle.Received(e) == nil)
	// Output: timeout true
}
