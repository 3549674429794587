package sources_test

import (
	"context"
	"fmt"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
)

// Virtual is evchan.Virtual: the draft's "v", here already triggered.
func ExampleVirtual() {
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Virtual(true), "v", 0)
	e, _ := c.Next(context.Background(), evchan.NoWait)
	fmt.Println(e.Reason, e.Data)
	// Output: triggered v
}

// Timer is evchan.Timer: the draft's "t"; Persistent makes it "T".
func ExampleTimer() {
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Timer(5*time.Millisecond), "t", 0)
	e := <-c.C
	fmt.Println(e.Reason, e.Data, e.Source)
	// Output: timeout t 5ms
}

// once is a source of one's own: it fires as soon as it is watched.
type once struct{}

func (once) Watch(h evchan.Handle) (evchan.Watcher, error) {
	h.Fire(evchan.Triggered, "at once")
	return evchan.StopFunc(func() {}), nil
}

// Custom adds an event of a source of one's own.
func ExampleCustom() {
	c := evchan.New()
	defer c.Close()
	c.Add(sources.Custom(once{}), "mine", 0)
	e := <-c.C
	fmt.Println(e.Reason, e.Value, e.Data)
	// Output: triggered at once mine
}
