package sources_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/evchantest"
	"github.com/evchan/evchan/sources"
)

// Done keeps every rule the conformance suite checks.
func TestSourceDone(t *testing.T) {
	evchantest.TestSource(t, func(t *testing.T) evchantest.Subject {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		return evchantest.Subject{
			Spec:      sources.Done(ctx),
			Fire:      cancel,
			Reason:    evchan.Triggered,
			FiresOnce: true,
		}
	})
}

var errShutdown = errors.New("shutting down")

// A Done event fires once when its context is cancelled, with the cause as
// Value and the context as Source, and is then deleted (R1).
func TestDoneFiresOnCancelWithCause(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ctx, cancel := context.WithCancelCause(context.Background())
		id := mustAdd(t, c, sources.Done(ctx), "done", 0)
		none(t, c)
		cancel(errShutdown)
		e := take(t, c)
		wantEvent(t, e, id, evchan.Triggered, 1, errShutdown)
		if e.Source != ctx || e.Data != "done" {
			t.Fatalf("Source %v, Context %v: want the context given and \"done\"", e.Source, e.Data)
		}
		wantLen(t, c, 0) // R1
	})
}

// A context that ends by its deadline reports context.DeadlineExceeded.
func TestDoneFiresAtDeadline(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		id := mustAdd(t, c, sources.Done(ctx), nil, 0)
		time.Sleep(time.Minute - time.Nanosecond)
		none(t, c)
		time.Sleep(time.Nanosecond)
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, context.DeadlineExceeded)
	})
}

// A context already done when the event is added fires at once.
func TestDoneOfEndedContext(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		id := mustAdd(t, c, sources.Done(ctx), nil, 0)
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, context.Canceled)
	})
}

// The persistent form fires once, as its context ends once, and stays until
// Del (R1).
func TestDonePersistentFiresOnceAndStays(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		ctx, cancel := context.WithCancel(context.Background())
		id := mustAdd(t, c, sources.Done(ctx).Persistent(), nil, 0)
		cancel()
		wantEvent(t, take(t, c), id, evchan.Triggered, 1, context.Canceled)
		none(t, c)
		wantLen(t, c, 1)
		if !c.Del(id) {
			t.Fatal("Del of the persistent Done event reported false")
		}
	})
}

// Del before the context ends: nothing is ever delivered, and the
// AfterFunc registration is stopped when Del returns (R9).
func TestDoneDelStopsAfterFunc(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		base, cancel := context.WithCancel(context.Background())
		ctx := &afterFuncCounter{Context: base}
		id := mustAdd(t, c, sources.Done(ctx), nil, 0)
		if reg, stops := ctx.counts(); reg != 1 || stops != 0 {
			t.Fatalf("after Add: %d AfterFunc registrations, %d stops; want 1, 0", reg, stops)
		}
		c.Del(id)
		if reg, stops := ctx.counts(); reg != 1 || stops != 1 {
			t.Fatalf("after Del: %d AfterFunc registrations, %d stops; want 1, 1 (R9)", reg, stops)
		}
		cancel()
		none(t, c)
	})
}

// A nil context is bad input (R15), refused where the Spec is built.
func TestDoneOfNilContext(t *testing.T) {
	inBubble(t, func(t *testing.T, c *evchan.Container) {
		var nilContext context.Context // the bad input, which vet-style linters flag as a literal
		if err := sources.Done(nilContext).Err(); !errors.Is(err, evchan.ErrInvalid) {
			t.Fatalf("Done(nil).Err() = %v, want an error wrapping ErrInvalid", err)
		}
		if _, err := c.Add(sources.Done(nilContext), nil, 0); !errors.Is(err, evchan.ErrInvalid) {
			t.Fatalf("Add(Done(nil)) = %v, want an error wrapping ErrInvalid", err)
		}
		wantLen(t, c, 0)
	})
}

// afterFuncCounter is a context that counts the AfterFunc registrations
// made on it and the calls of their stop functions: context.AfterFunc
// defers to a context's own AfterFunc method when it has one, unless it
// finds a cancelCtx of the context package inside, which Value hides.
type afterFuncCounter struct {
	context.Context
	mu                   sync.Mutex
	registrations, stops int
}

// Value hides the values of the wrapped context, among them the cancelCtx
// that context.AfterFunc would otherwise register with directly.
func (c *afterFuncCounter) Value(any) any { return nil }

func (c *afterFuncCounter) AfterFunc(f func()) func() bool {
	c.mu.Lock()
	c.registrations++
	c.mu.Unlock()
	stop := context.AfterFunc(c.Context, f)
	return func() bool {
		c.mu.Lock()
		c.stops++
		c.mu.Unlock()
		return stop()
	}
}

func (c *afterFuncCounter) counts() (registrations, stops int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.registrations, c.stops
}
