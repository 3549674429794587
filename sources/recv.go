package sources

import (
	"errors"
	"sync"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// ErrChanClosed is the Event.Err of the last delivery of a Recv event: its
// channel was closed.
var ErrChanClosed = errors.New("sources: channel closed")

// Recv returns the Spec of an event that fires for each value received from
// ch, with reason evchan.Triggered and the value as Event.Value. Event.Source
// is ch. The one-shot form receives one value and is deleted once it is
// delivered; the persistent form keeps receiving until Del, Clear or Close.
//
// Values are dropped like time.Ticker drops ticks. While the event is pending
// the receiving goes on, and the values coalesce (R3): Event.Count says how
// many were received since the last delivery and Event.Value is the latest.
// A value received at the moment the event is deleted is dropped too. Recv is
// for "something arrived, and here is the newest"; a consumer that needs
// every value should receive from ch itself.
//
// When ch is closed the event is delivered one last time with Event.Err set
// to ErrChanClosed, then deleted, even if persistent. Values received since
// the previous delivery are counted in it, and Event.Value is still the
// latest value received (nil if none ever was).
//
// Each registration is a goroutine receiving from ch. It ends when the event
// ends (delivered one-shot, Del, Clear, Close) or ch is closed, and stopping
// the registration waits for it: once Del returns, nothing of that event
// receives from ch any more (R9).
// Several registrations of one channel share its values out, as receivers
// of a Go channel do. A nil ch, which would never deliver, makes Add fail
// with an error wrapping evchan.ErrInvalid.
func Recv[T any](ch <-chan T) evchan.Spec {
	spec := evchan.Custom(recvSource[T]{ch}).WithSource(ch)
	if ch == nil {
		return spec.WithErr(errs.New("sources: Recv was given a nil channel, which never delivers", evchan.ErrInvalid))
	}
	return spec
}

// recvSource watches one channel.
type recvSource[T any] struct{ ch <-chan T }

func (s recvSource[T]) Watch(h evchan.Handle) (evchan.Watcher, error) {
	r := &receiver[T]{stop: make(chan struct{}), done: make(chan struct{})}
	go r.receive(s.ch, h)
	return r, nil
}

// receiver is one registration of a Recv event: the goroutine receiving
// for it and the means to end that goroutine.
type receiver[T any] struct {
	stopOnce sync.Once
	stop     chan struct{} // closed by Stop
	done     chan struct{} // closed as the goroutine ends
}

// receive is the registration's goroutine.
func (r *receiver[T]) receive(ch <-chan T, h evchan.Handle) {
	defer close(r.done)
	persistent := h.Persistent()
	for {
		// A select with both cases ready picks either: look at stop first
		// so that a stopped registration takes no further value it would
		// have to drop.
		select {
		case <-r.stop:
			return
		default:
		}
		select {
		case <-r.stop:
			return
		case v, ok := <-ch:
			if !ok {
				h.Fail(evchan.Triggered, ErrChanClosed)
				return
			}
			h.Fire(evchan.Triggered, v)
			if !persistent {
				return // one value is all a one-shot event takes
			}
		}
	}
}

// Rearm does nothing: values are received whether or not the event is
// pending.
func (r *receiver[T]) Rearm() {}

// Stop ends the goroutine and waits for it, so that it takes no value from
// the channel once the container has let go of the event. It never waits
// long: the goroutine only ever blocks receiving, and Handle.Fire does not
// block.
func (r *receiver[T]) Stop() {
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.done
}
