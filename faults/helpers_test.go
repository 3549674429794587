package faults_test

import (
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
)

// hangLimit bounds every wait of the suite for something the container is
// to do. It only catches hangs: what the tests wait for comes within
// milliseconds, the slowest under -race.
const hangLimit = 10 * time.Second

// mustAdd adds spec with ctx as its context and no timeout, and fails the
// test on error.
func mustAdd(t *testing.T, c *evchan.Container, spec evchan.Spec, ctx any) evchan.ID {
	t.Helper()
	id, err := c.Add(spec, ctx, 0)
	if err != nil {
		t.Fatalf("Add %v (%v): %v", spec, ctx, err)
	}
	return id
}
