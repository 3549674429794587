package evchan

import "fmt"

// An ID names one event of one container. Add returns a new one each time; IDs
// are never reused within a container and the zero ID is never valid (R2).
type ID uint64

// A Reason says why an event was delivered.
type Reason uint8

// The reasons of the draft, with the names its iterator returns (see String).
const (
	Triggered Reason = iota + 1 // a virtual event was triggered, or a custom source fired
	Timeout                     // a timer expired, or an event's timeout passed (R7)
	Readable                    // a descriptor is readable, or hung up
	Writable                    // a descriptor is writable
	Exception                   // a descriptor has out-of-band or priority data
	Signal                      // a POSIX signal arrived
	Signaled                    // a Windows handle is signaled
	Message                     // a Windows message is in the input queue
)

var reasonNames = [...]string{
	Triggered: "triggered",
	Timeout:   "timeout",
	Readable:  "readable",
	Writable:  "writable",
	Exception: "exception",
	Signal:    "signal",
	Signaled:  "signaled",
	Message:   "message",
}

// String returns the reason as the draft's iterator names it: "triggered",
// "timeout", "readable", "writable", and "exception", "signal", "signaled",
// "message" for the kinds the draft leaves unnamed.
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// An Event is one delivery: what the draft's iterator returns as
// `id, reason, source, context`, plus what Go programs need besides.
type Event struct {
	ID     ID
	Reason Reason
	// Last reports that this is the event's last delivery: it is deleted as
	// it is delivered, being one-shot (R1) or its source having failed for
	// good (Handle.Fail; R15 for a descriptor closed under its event). A
	// persistent event delivered with Err but not Last stays.
	Last bool
	// Source is what was added: the initial state of a virtual event (bool),
	// the interval of a timer (time.Duration), the descriptor or signal as the
	// user gave it, or the Source value of a custom event.
	Source any
	// Data is the associated object given to Add or Set.
	Data any
	// Count is how many times the event fired since its last delivery; it is
	// at least 1. Firings while an event is pending are coalesced (R3). A
	// timeout is one firing. For a persistent timer received from C, the
	// ticks that fall while its Event waits there for a receiver are
	// counted in its next delivery (see "Slow consumers").
	Count int
	// Value is what the source reported with its latest firing (a Windows
	// message, the signal that arrived...); nil for virtual events and timers.
	Value any
	// Err is set when the source reported an error with its condition
	// (Handle.Error, such as a socket error; a persistent event stays) or
	// failed for good (Handle.Fail, such as a descriptor closed under its
	// event; the event is deleted once delivered, even a persistent one).
	Err error
}

// String formats the event for logs and examples.
func (e Event) String() string {
	s := fmt.Sprintf("event %d %v count=%d", e.ID, e.Reason, e.Count)
	if e.Err != nil {
		s += " err=" + e.Err.Error()
	}
	return s
}
