package evchantest_test

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
)

// A Pulse fires when told, and Fire returns once every event of it has been
// told, so what a test expects is exact.
func ExamplePulse() {
	c := evchan.New()
	defer c.Close()

	p := evchantest.NewPulse()
	c.Add(p.Spec().Persistent(), "pulse", 0)
	p.Fire()
	p.Fire()

	e := <-c.C // two firings before a receive coalesce (R3)
	fmt.Println(e.Reason, e.Data, e.Count, e.Value)
	// Output: triggered pulse 2 2
}
