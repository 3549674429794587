package evchantest_test

import (
	"fmt"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
)

// NewPulse makes a test source that fires every registration at once.
func ExampleNewPulse() {
	p := evchantest.NewPulse()
	c := evchan.New()
	defer c.Close()
	c.Add(p.Spec(), "pulsed", 0)
	p.Fire()
	fmt.Println((<-c.C).Data)
	// Output: pulsed
}

// TestSource checks a source of one's own against the container's rules;
// it is called from a test function of the source's package.
func ExampleTestSource() {
	var t *testing.T // the *testing.T of a TestMySource function
	if t == nil {
		return // shown, not run: an example has no *testing.T
	}
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		return evchantest.NewPulse().Subject()
	})
}
