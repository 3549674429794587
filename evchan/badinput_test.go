package evchan

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// refusing is a source that cannot watch on this platform.
type refusing struct{}

func (refusing) Watch(Handle) (Watcher, error) { return nil, errors.ErrUnsupported }

// R15: bad input gets a clear error wrapping a sentinel, and nothing in the
// container is lost or disturbed.
func TestR15BadInput(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		keep := mustAdd(t, c, Virtual(false).Persistent(), "keep", 0)
		tick := mustAdd(t, c, Timer(time.Second).Persistent(), "tick", 0)

		bad := []struct {
			name    string
			spec    Spec
			timeout time.Duration
			want    error
		}{
			{"zero interval", Timer(0), 0, ErrInvalid},
			{"negative interval", Timer(-time.Second), 0, ErrInvalid},
			{"negative timeout", Virtual(false), -1, ErrInvalid},
			{"nil source", Custom(nil), 0, ErrInvalid},
			{"zero Spec", Spec{}, 0, ErrInvalid},
			{"unsupported kind", Custom(refusing{}), 0, errors.ErrUnsupported},
		}
		for _, b := range bad {
			id, err := c.Add(b.spec, nil, b.timeout)
			if !errors.Is(err, b.want) || id != 0 {
				t.Errorf("%s: Add = %d, %v; want an error wrapping %v", b.name, id, err, b.want)
			}
			if err != nil && err.Error() == "" {
				t.Errorf("%s: empty error message", b.name)
			}
		}
		if c.Trigger(tick) {
			t.Error("Trigger of a timer reported true")
		}

		if c.Len() != 2 {
			t.Fatalf("Len = %d after bad input, want 2", c.Len())
		}
		c.Trigger(keep)
		wantEvent(t, take(t, c), keep, Triggered, 1)
		time.Sleep(time.Second)
		wantEvent(t, take(t, c), tick, Timeout, 1)
	})
}

// R15: a Spec built from bad input says so before it is added.
func TestR15SpecErr(t *testing.T) {
	if Timer(time.Second).Err() != nil || Virtual(true).Err() != nil {
		t.Fatal("valid specs report an error")
	}
	if err := Timer(0).Persistent().Err(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Timer(0).Err() = %v", err)
	}
}

// R15: a source package's refusal travels in the Spec to Add.
func TestR15SpecWithErr(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		refusedHere := errors.New("that signal cannot be caught")
		spec := Custom(refusing{}).WithErr(refusedHere)
		if !errors.Is(spec.Err(), refusedHere) {
			t.Fatalf("Err = %v", spec.Err())
		}
		if _, err := c.Add(spec, nil, 0); !errors.Is(err, refusedHere) {
			t.Fatalf("Add = %v", err)
		}
		if Virtual(true).WithErr(nil).Err() != nil {
			t.Fatal("WithErr(nil) made a valid Spec invalid")
		}
	})
}

// R15: the zero Container, declared rather than made by New, cannot hold
// events, and says so: the methods that return an error fail with one
// wrapping ErrInvalid that names New, the others report failure or
// nothing, none panics, and a loop over it ends at once.
func TestR15ZeroContainer(t *testing.T) {
	var c Container
	if _, err := c.Add(Virtual(true), nil, 0); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "New") {
		t.Errorf("Add on a zero Container: %v, want ErrInvalid naming New", err)
	}
	if _, err := c.Once(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Once: %v", err)
	}
	if err := c.SetData(1, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetData: %v", err)
	}
	if err := c.SetTimeout(1, time.Second); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetTimeout: %v", err)
	}
	if _, err := c.Service("key", func() (io.Closer, error) { return nil, nil }); !errors.Is(err, ErrInvalid) {
		t.Errorf("Service: %v", err)
	}
	if err := c.Close(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Close: %v", err)
	}
	if c.Trigger(1) || c.Del(1) || c.Len() != 0 {
		t.Error("Trigger, Del or Len reported an event")
	}
	c.Hold(1)()
	c.Stop()
	c.Clear()
	for e := range c.All(Block) {
		t.Errorf("a loop over a zero Container got %v", e)
	}
	if _, ok := c.Next(context.Background(), Block); ok {
		t.Error("Next on a zero Container reported an event")
	}
	if c.C != nil {
		t.Error("a zero Container's C is not nil")
	}
}
