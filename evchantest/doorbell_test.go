package evchantest_test

import (
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
)

// The doorbell of ExampleSubject keeps every rule the suite checks.
func TestSourceDoorbell(t *testing.T) {
	evchantest.TestSource(t, func(*testing.T) evchantest.Subject {
		b := new(doorbell)
		return evchantest.Subject{
			Spec:        evchan.Custom(b),
			Fire:        b.ring,
			Reason:      evchan.Triggered,
			Synchronous: true,
		}
	})
}
