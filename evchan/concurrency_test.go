package evchan

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

// R14: control calls never wait for a consumer. Nobody receives from C here
// while the supervisor offers an event; every call must still return (a
// deadlock would make synctest fail the test).
func TestR14ControlCallsNeverWaitForConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		stuck := mustAdd(t, c, Virtual(true).Persistent(), nil, time.Second)
		for i := range 100 {
			id := mustAdd(t, c, Virtual(i%2 == 0).Persistent(), i, time.Second)
			c.Trigger(id)
			c.Trigger(stuck)
			c.SetData(stuck, i)
			c.SetTimeout(stuck, time.Duration(i)*time.Millisecond)
			c.SetData(id, i)
			c.Stop()
			c.Del(id)
		}
		time.Sleep(time.Hour)
		c.Clear()
		if c.Len() != 0 {
			t.Fatal("Clear left events")
		}
	})
}

// fence is the context of an event added right after a Del returned true:
// whatever comes out of C after it can no longer be the deleted event.
type fence struct{ deleted ID }

// R14, R9: 32 goroutines add, delete, trigger, set and clear at random on one
// container while one drains C and another keeps calling Stop. No race, no
// deadlock, no panic, and no event is delivered after a Del of it returned:
// each successful Del is followed by a fence event (Once), and since events
// come out in the order they became pending (R4), a deleted event that came
// out after its fence would have been delivered after Del returned.
func TestR14Stress(t *testing.T) {
	c := New()
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())

	type endMarker struct{}
	var consumer sync.WaitGroup
	delivered, fences := 0, 0
	consumer.Go(func() {
		defer cancel() // the stopper ends with the consumer
		fenced := map[ID]bool{}
		for ctx.Err() == nil {
			e, ok := c.Next(ctx, Within(time.Millisecond))
			if !ok {
				runtime.Gosched()
				continue
			}
			delivered++
			if _, end := e.Data.(endMarker); end {
				return
			}
			if f, isFence := e.Data.(fence); isFence {
				fenced[f.deleted] = true
				fences++
			} else if fenced[e.ID] {
				t.Errorf("%v delivered after Del of it returned", e)
			}
		}
	})
	consumer.Go(func() {
		for ctx.Err() == nil {
			c.Stop()
			time.Sleep(50 * time.Microsecond) // let some loops run their course
		}
	})

	var workers sync.WaitGroup
	for w := range 32 {
		workers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			var mine []ID
			for range 3000 {
				switch op := rng.IntN(10); {
				case op < 3 || len(mine) == 0:
					spec := Virtual(rng.IntN(2) == 0)
					if rng.IntN(3) == 0 {
						spec = Timer(time.Duration(1+rng.IntN(20)) * time.Millisecond)
					}
					if rng.IntN(2) == 0 {
						spec = spec.Persistent()
					}
					id, err := c.Add(spec, w, time.Duration(rng.IntN(3))*time.Millisecond)
					if err != nil {
						t.Errorf("Add: %v", err)
						return
					}
					mine = append(mine, id)
				case op < 5:
					id := mine[rng.IntN(len(mine))]
					if c.Del(id) {
						if _, err := c.Once(fence{id}); err != nil {
							t.Errorf("Once: %v", err)
						}
					}
				case op < 8:
					c.Trigger(mine[rng.IntN(len(mine))])
				case op < 9:
					id := mine[rng.IntN(len(mine))]
					c.SetData(id, w)
					c.SetTimeout(id, time.Duration(rng.IntN(2))*time.Millisecond)
				default:
					if w == 0 && rng.IntN(100) == 0 { // rare: Clear ends everyone's events
						c.Clear()
					}
				}
			}
		})
	}
	workers.Wait()
	// Drain what is pending behind an end marker: it comes out last (R4).
	if _, err := c.Once(endMarker{}); err != nil {
		t.Fatal(err)
	}
	consumer.Wait()
	if delivered < 1000 || fences < 100 {
		t.Fatalf("only %d deliveries, %d fences: the test exercised little", delivered, fences)
	}
}
