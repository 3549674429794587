// Tour runs the LuaEvents draft's first example in Go: a one-shot timer, a
// periodic timer, a persistent virtual event triggered from the loop, and a
// timer added from the loop. It prints what happens and exits by itself
// after about six seconds.
//
//	go run ./examples/tour
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/evchan/evchan/evchan"
)

func main() {
	if err := tour(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

// tour is the draft's
//
//	ev:add("t", 2.5, "One-shot timer expired")
//	local tid = ev:add("T", 5.0, "Periodic timer triggered")
//	local vid = ev:add("V", nil, "Virtual event triggered")
//	for id, why, src, str in ev(true) do
//	  print(socket.gettime(), str)
//	  if id == tid then ev:trigger(vid)
//	  elseif id == vid then ev:add("t", 1.0, "One second later ...") end
//	end
//
// with an end, which the draft's infinite loop lacks: the timer added from
// the loop deletes the others, the container empties and the loop ends.
func tour(w io.Writer) error {
	c := evchan.New()
	defer c.Close()

	if _, err := c.Add(evchan.Timer(2500*time.Millisecond), "One-shot timer expired", 0); err != nil {
		return err
	}
	tid, err := c.Add(evchan.Timer(5*time.Second).Persistent(), "Periodic timer triggered", 0)
	if err != nil {
		return err
	}
	vid, err := c.Add(evchan.Virtual(false).Persistent(), "Virtual event triggered", 0)
	if err != nil {
		return err
	}
	var later evchan.ID

	start := time.Now()
	for e := range c.All(evchan.Block) {
		fmt.Fprintf(w, "%5.1fs  %-9v %v\n", time.Since(start).Seconds(), e.Reason, e.Data)
		switch e.ID {
		case tid:
			c.Trigger(vid)
		case vid:
			if later, err = c.Add(evchan.Timer(time.Second), "One second later ...", 0); err != nil {
				return err
			}
		case later:
			fmt.Fprintln(w, "        deleting the periodic timer and the virtual event")
			c.Del(tid)
			c.Del(vid)
		}
	}
	fmt.Fprintf(w, "%5.1fs  the container is empty: the loop ends\n", time.Since(start).Seconds())
	return nil
}
