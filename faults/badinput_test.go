package faults_test

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/evchan/evchan/dispatch"
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"github.com/evchan/evchan/sigs"
	"github.com/evchan/evchan/sources"
)

// R2, R13, R15: bad input across the public API gets a clear error wrapping
// the sentinel its documentation names, or the false or nothing it
// documents, never a panic; and the container it was given to is intact:
// its events still there, a bystander still delivered, on each path. One
// table: each row is one call a user can get wrong.
func TestBadInputAcrossTheAPI(t *testing.T) {
	forEachPath(t, badInputAcrossTheAPI)
}

func badInputAcrossTheAPI(t *testing.T, p path) {
	var nilConn *net.TCPConn
	// Not in t.TempDir: Wine fails to remove a directory a test made this
	// way, and the file's removal does not matter to the test.
	closedFile, err := os.CreateTemp("", "evchan-closed")
	if err != nil {
		t.Fatal(err)
	}
	closedFile.Close()
	t.Cleanup(func() { os.Remove(closedFile.Name()) })

	type env struct {
		c       *evchan.Container
		timer   evchan.ID // a persistent timer of an hour: never fires here
		deleted evchan.ID // an ID that was in the container
	}
	rows := []struct {
		name string
		call func(e env) error // returns the error, or errFalse for a documented false
		want error             // the sentinel; errFalse: the call reported false or nothing
	}{
		// Specs and sources.
		{"Add a zero Spec", func(e env) error { _, err := e.c.Add(evchan.Spec{}, nil, 0); return err }, evchan.ErrInvalid},
		{"Add Custom(nil)", func(e env) error { _, err := e.c.Add(evchan.Custom(nil), nil, 0); return err }, evchan.ErrInvalid},
		{"Add Custom of a nil pointer", func(e env) error {
			var s *nilSource
			_, err := e.c.Add(evchan.Custom(s), nil, 0)
			return err
		}, evchan.ErrInvalid},
		{"Add Timer(0)", func(e env) error { _, err := e.c.Add(evchan.Timer(0), nil, 0); return err }, evchan.ErrInvalid},
		{"Add Timer(-1s)", func(e env) error { _, err := e.c.Add(evchan.Timer(-time.Second), nil, 0); return err }, evchan.ErrInvalid},
		{"Add with a negative timeout", func(e env) error { _, err := e.c.Add(evchan.Virtual(false), nil, -1); return err }, evchan.ErrInvalid},
		{"poll.Readable(nil)", func(e env) error { _, err := e.c.Add(poll.Readable(nil), nil, 0); return err }, poll.ErrBadDescriptor},
		{"poll.Readable(-1)", func(e env) error { _, err := e.c.Add(poll.Readable(-1), nil, 0); return err }, poll.ErrBadDescriptor},
		{"poll.Writable of a string", func(e env) error { _, err := e.c.Add(poll.Writable("fd 3"), nil, 0); return err }, evchan.ErrInvalid},
		{"poll.Readable of a nil *net.TCPConn", func(e env) error { _, err := e.c.Add(poll.Readable(nilConn), nil, 0); return err }, poll.ErrBadDescriptor},
		{"poll.Exception of a closed *os.File", func(e env) error { _, err := e.c.Add(poll.Exception(closedFile), nil, 0); return err }, poll.ErrBadDescriptor},
		{"sigs.Signal(nil)", func(e env) error { _, err := e.c.Add(sigs.Signal(nil), nil, 0); return err }, evchan.ErrInvalid},
		{"sources.Done(nil)", func(e env) error {
			var ctx context.Context
			_, err := e.c.Add(sources.Done(ctx), nil, 0)
			return err
		}, evchan.ErrInvalid},
		{"sources.Recv of a nil channel", func(e env) error {
			var ch chan int
			_, err := e.c.Add(sources.Recv(ch), nil, 0)
			return err
		}, evchan.ErrInvalid},
		{"sources.Parse of an unknown letter", func(e env) error { _, err := sources.Parse("q", nil); return err }, sources.ErrUnknownLetter},
		{"sources.Parse of no letter", func(e env) error { _, err := sources.Parse("", nil); return err }, evchan.ErrInvalid},
		{"sources.Parse a negative interval", func(e env) error { _, err := sources.Parse("t", -1.5); return err }, evchan.ErrInvalid},
		{"sources.Parse a signal by an unknown name", func(e env) error { _, err := sources.Parse("s", "SIGNOPE"); return err }, evchan.ErrInvalid},

		// IDs.
		{"SetData of the zero ID", func(e env) error { return e.c.SetData(0, "x") }, evchan.ErrNotFound},
		{"SetData of a deleted ID", func(e env) error { return e.c.SetData(e.deleted, "x") }, evchan.ErrNotFound},
		{"SetTimeout of an unknown ID", func(e env) error { return e.c.SetTimeout(1<<40, time.Second) }, evchan.ErrNotFound},
		{"SetTimeout negative", func(e env) error { return e.c.SetTimeout(e.timer, -time.Second) }, evchan.ErrInvalid},
		{"Trigger the zero ID", func(e env) error { return falseIs(e.c.Trigger(0)) }, errFalse},
		{"Trigger a timer", func(e env) error { return falseIs(e.c.Trigger(e.timer)) }, errFalse},
		{"Del a deleted ID", func(e env) error { return falseIs(e.c.Del(e.deleted)) }, errFalse},
		{"Hold an unknown ID", func(e env) error { e.c.Hold(1 << 40)(); return errFalse }, errFalse},

		// Contexts and loops.
		{"Next with a nil context", func(e env) error {
			var ctx context.Context
			e.c.Next(ctx, evchan.Within(time.Millisecond))
			return errFalse
		}, errFalse},
		{"AllContext with a nil context", func(e env) error {
			var ctx context.Context
			for range e.c.AllContext(ctx, evchan.Within(time.Millisecond)) {
			}
			return errFalse
		}, errFalse},
		{"dispatch.Goroutines with a limit of 0", func(e env) error { return dispatch.Goroutines(context.Background(), e.c, 0) }, evchan.ErrInvalid},
		{"dispatch.Pool of -1 workers", func(e env) error { return dispatch.Pool(context.Background(), e.c, -1) }, evchan.ErrInvalid},
		{"dispatch.Run on a nil container", func(e env) error { return dispatch.Run(context.Background(), nil) }, evchan.ErrInvalid},
		{"Service with a nil start", func(e env) error { _, err := e.c.Service("key", nil); return err }, evchan.ErrInvalid},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			c := evchan.New()
			defer c.Close()
			r := p.open(t, c)
			timer := mustAdd(t, c, evchan.Timer(time.Hour).Persistent(), "timer")
			deleted := mustAdd(t, c, evchan.Virtual(false), "deleted")
			c.Del(deleted)
			bystander := mustAdd(t, c, evchan.Virtual(false).Persistent(), "bystander")
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				err = row.call(env{c, timer, deleted})
			}()
			switch {
			case row.want == errFalse && err != errFalse:
				t.Errorf("got %v, want the documented false or nothing", err)
			case row.want != errFalse && !errors.Is(err, row.want):
				t.Errorf("got %v, want an error wrapping %v", err, row.want)
			}
			// Intact: the two events left are there, the bystander fires.
			if n := c.Len(); n != 2 {
				t.Errorf("Len = %d after the bad call, want 2", n)
			}
			if !c.Trigger(bystander) {
				t.Fatal("the bystander is gone")
			}
			if e := r.receive(t, "the bystander"); e.ID != bystander {
				t.Errorf("got %v, want the bystander", e)
			}
		})
	}
}

// R12, R15: after Close, every call that adds or changes reports
// ErrClosed, the others false or nothing, none panics; Close again is nil;
// the path delivers nothing more (C is closed; a loop over All ends).
func TestBadInputAfterClose(t *testing.T) { forEachPath(t, badInputAfterClose) }

func badInputAfterClose(t *testing.T, p path) {
	c := evchan.New()
	r := p.open(t, c)
	id := mustAdd(t, c, evchan.Virtual(true).Persistent(), "v") // pending when Close drops it
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Add(evchan.Virtual(true), nil, 0); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("Add: %v", err)
	}
	if _, err := c.Once(nil); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("Once: %v", err)
	}
	if err := c.SetData(id, nil); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("SetData: %v", err)
	}
	if err := c.SetTimeout(id, time.Second); !errors.Is(err, evchan.ErrClosed) {
		t.Errorf("SetTimeout: %v", err)
	}
	if c.Trigger(id) || c.Del(id) || c.Len() != 0 {
		t.Error("Trigger, Del or Len reported an event")
	}
	c.Stop()
	c.Clear()
	c.Hold(id)()
	for e := range c.All(evchan.Block) {
		t.Errorf("a loop after Close got %v", e)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
	r.closed(t, "after Close")
}

// errFalse stands for a call that reported false, or nothing, as its
// documentation says it does for that input.
var errFalse = errors.New("false")

// falseIs returns errFalse for false, and an error for true.
func falseIs(ok bool) error {
	if ok {
		return errors.New("true")
	}
	return errFalse
}

// nilSource is a Source whose nil pointer a test gives to Custom.
type nilSource struct{}

func (*nilSource) Watch(evchan.Handle) (evchan.Watcher, error) { return nil, nil }
