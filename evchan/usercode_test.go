package evchan

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// panicking is a Source whose methods panic as its fields say.
type panicking struct {
	inWatch, inRearm, inStop bool
	handles                  chan Handle
}

func (p *panicking) Watch(h Handle) (Watcher, error) {
	if p.inWatch {
		panic("watch broke")
	}
	if p.handles != nil {
		p.handles <- h
	}
	return p, nil
}

func (p *panicking) Rearm() {
	if p.inRearm {
		panic(errors.New("rearm broke"))
	}
}

func (p *panicking) Stop() {
	if p.inStop {
		panic("stop broke")
	}
}

// R15: a Source whose Watch panics makes Add fail with an error wrapping
// ErrPanicked, and leaves the container exactly as it was: same Len, and
// a loop over an otherwise empty container ends.
func TestR15WatchPanicFailsAdd(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		_, err := c.Add(Custom(&panicking{inWatch: true}).Persistent(), nil, 0)
		if !errors.Is(err, ErrPanicked) || !strings.Contains(err.Error(), "watch broke") {
			t.Fatalf("Add = %v, want an error wrapping ErrPanicked with the panic's value", err)
		}
		if n := c.Len(); n != 0 {
			t.Fatalf("Len = %d after the failed Add, want 0", n)
		}
		for e := range c.All(Block) {
			t.Fatalf("a loop over the empty container got %v", e)
		}
		id := mustAdd(t, c, Virtual(true), "after", 0)
		wantEvent(t, take(t, c), id, Triggered, 1)
	})
}

// R15: a typed nil pointer as a Source is refused by Custom, not called.
func TestR15NilPointerSource(t *testing.T) {
	bubble(t, func(t *testing.T, c *Container) {
		var src *panicking
		if _, err := c.Add(Custom(src), nil, 0); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Add of a nil *panicking = %v, want ErrInvalid", err)
		}
		if c.Len() != 0 {
			t.Fatal("the refused source left an event")
		}
	})
}

// R1, R15: a Watcher whose Rearm panics ends its event as a failure: it is
// delivered once more with the panic in Err, and Last, then deleted; the
// panic does not reach the container's goroutine. Both ways of taking
// events re-arm, so both are tried.
func TestR15RearmPanicFailsTheEvent(t *testing.T) {
	for _, how := range []string{"C", "All"} {
		t.Run(how, func(t *testing.T) {
			bubble(t, func(t *testing.T, c *Container) {
				src := &panicking{inRearm: true, handles: make(chan Handle, 1)}
				id := mustAdd(t, c, Custom(src).Persistent(), nil, 0)
				h := <-src.handles
				h.Fire(Readable, nil)
				var got []Event
				if how == "C" {
					got = append(got, take(t, c), take(t, c))
				} else {
					for e := range c.All(NoWait) {
						got = append(got, e)
					}
					got = append(got, take(t, c)) // the failure, pending once the loop re-armed
				}
				wantEvent(t, got[0], id, Readable, 1)
				if got[0].Err != nil || got[0].Last {
					t.Fatalf("first delivery %v, Last=%v: want a plain one", got[0], got[0].Last)
				}
				f := got[1]
				if f.ID != id || !errors.Is(f.Err, ErrPanicked) || !strings.Contains(f.Err.Error(), "rearm broke") || !f.Last {
					t.Fatalf("second delivery %v Last=%v, want the Rearm panic, Last", f, f.Last)
				}
				if f.Reason != Readable {
					t.Fatalf("the failure's reason is %v, want the event's own (readable)", f.Reason)
				}
				if c.Len() != 0 {
					t.Fatalf("Len = %d after the failure was delivered", c.Len())
				}
			})
		})
	}
}

// R9, R12: a Watcher whose Stop panics does not stop Del from deleting
// its event, nor Close from ending everything: Close returns the panic,
// counted, wrapping ErrPanicked.
func TestR12StopPanicReportedByClose(t *testing.T) {
	bubble(t, func(t *testing.T, _ *Container) {
		c := New()
		a := mustAdd(t, c, Custom(&panicking{inStop: true}).Persistent(), nil, 0)
		mustAdd(t, c, Custom(&panicking{inStop: true}).Persistent(), nil, 0)
		mustAdd(t, c, Custom(&panicking{inStop: true}), nil, 0)
		if !c.Del(a) || c.Len() != 2 {
			t.Fatalf("Del of an event whose Stop panics: Len = %d, want 2", c.Len())
		}
		err := c.Close()
		if !errors.Is(err, ErrPanicked) || !strings.Contains(err.Error(), "stop broke") || !strings.Contains(err.Error(), "2 more") {
			t.Fatalf("Close = %v, want the first Stop panic and a count of 2 more", err)
		}
		if _, ok := <-c.C; ok {
			t.Fatal("C is open after Close")
		}
	})
}

type serviceKey struct{ name string }

// R12, R15: Service refuses a nil start, a key a map cannot hold, and a
// start that returns neither a service nor an error, with errors wrapping
// ErrInvalid; a start that panics fails with ErrPanicked. None of them
// keeps a service, and Close closes every service that did start, even
// when one of them panics in Close.
func TestR15ServiceMisuse(t *testing.T) {
	bubble(t, func(t *testing.T, _ *Container) {
		c := New()
		var closed []string
		started := func(name string) func() (io.Closer, error) {
			return func() (io.Closer, error) {
				return closerFunc(func() error { closed = append(closed, name); return nil }), nil
			}
		}
		if _, err := c.Service(serviceKey{"first"}, started("first")); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			key   any
			start func() (io.Closer, error)
			want  error
		}{
			{"nil start", serviceKey{"nil start"}, nil, ErrInvalid},
			{"slice key", []int{}, started("slice"), ErrInvalid},
			{"nil key", nil, started("nil key"), ErrInvalid},
			{"struct holding a slice", struct{ k any }{[]int{1}}, started("struct"), ErrInvalid},
			{"nil, nil", serviceKey{"nil, nil"}, func() (io.Closer, error) { return nil, nil }, ErrInvalid},
			{"typed nil", serviceKey{"typed nil"}, func() (io.Closer, error) { return (*panicCloser)(nil), nil }, ErrInvalid},
			{"panics", serviceKey{"panics"}, func() (io.Closer, error) { panic("start broke") }, ErrPanicked},
		}
		for _, tc := range cases {
			v, err := c.Service(tc.key, tc.start)
			if !errors.Is(err, tc.want) || v != nil {
				t.Errorf("%s: Service = %v, %v; want nil and an error wrapping %v", tc.name, v, err, tc.want)
			}
		}
		// A failed start keeps nothing: the key can be started properly.
		if _, err := c.Service(serviceKey{"nil, nil"}, started("second")); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Service(serviceKey{"panics in Close"}, func() (io.Closer, error) { return &panicCloser{}, nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Service(serviceKey{"last"}, started("last")); err != nil {
			t.Fatal(err)
		}
		err := c.Close()
		if !errors.Is(err, ErrPanicked) || !strings.Contains(err.Error(), "close broke") {
			t.Fatalf("Close = %v, want the panic of a service's Close", err)
		}
		if strings.Join(closed, " ") != "last second first" {
			t.Fatalf("services closed: %v, want every one, the last started first", closed)
		}
	})
}

type panicCloser struct{}

func (*panicCloser) Close() error { panic("close broke") }
