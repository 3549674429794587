package winhandle

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
)

// MaxBatch is the most messages one delivery of a message event carries.
// The message thread takes a message out of the system's queue only while
// every message event of the container can take it, that is while fewer
// than MaxBatch/2 messages were handed to it since its consumer last
// received it; the others wait in the system's queue, which holds 10,000
// posted messages per thread before PostThreadMessage fails with
// ERROR_NOT_ENOUGH_QUOTA. So a slow consumer holds up the posters, never
// loses a message, and costs bounded memory.
const MaxBatch = 1024

// A Msg is one message taken from the message thread's input queue: the
// fields of the system's MSG structure that a consumer acts on.
type Msg struct {
	HWnd    uintptr // the window it was posted to; 0 for a thread message
	Message uint32  // WM_USER, WM_APP+n, WM_QUIT...
	WParam  uintptr
	LParam  uintptr
	Time    uint32 // when it was posted, in milliseconds since the system started
}

// A Batch is Event.Value of a message event: the messages taken for it,
// newest last, of which a delivery carries the last Event.Count. Read
// them with Received.
type Batch struct {
	// window holds at least the messages of the delivery that carries it:
	// a message event fires once per message (so Count counts them), and
	// the container keeps the Value of the latest firing, taken here
	// with the MaxBatch messages that came before it. Its elements are
	// never written once it is handed out.
	window []Msg
}

// Last returns the newest message of b: the one whose firing made the
// delivery's Value.
func (b Batch) Last() Msg {
	if len(b.window) == 0 {
		return Msg{}
	}
	return b.window[len(b.window)-1]
}

// String describes b for logs: its newest message.
func (b Batch) String() string {
	m := b.Last()
	return fmt.Sprintf("messages up to %#x(%#x, %#x)", m.Message, m.WParam, m.LParam)
}

// Received returns the messages that e, a delivery of a message event,
// carries, oldest first: exactly e.Count of them, each delivered once, in
// the order the message thread took them from its queue. It returns nil
// for any other delivery, a Timeout included. The slice is the caller's.
func Received(e evchan.Event) []Msg {
	b, ok := e.Value.(Batch)
	if !ok || e.Reason != evchan.Message || e.Count < 1 {
		return nil
	}
	n := min(e.Count, len(b.window))
	return append([]Msg(nil), b.window[len(b.window)-n:]...)
}

// Messages returns the Spec of a one-shot event that fires with reason
// evchan.Message when a message is in the input queue of the container's
// message thread, and carries it: the draft's "m". Persistent() makes it
// the draft's "M", which carries every message posted to the thread until
// Del, Clear or Close. Event.Source is nil, as the draft gives no source;
// Event.Value is a Batch, which Received reads; Event.Count is how many
// messages the delivery carries.
//
// A one-shot event carries one message. A persistent one carries, in each
// delivery, every message taken for it since its last delivery, at most
// MaxBatch. Every message event of a container sees every message the
// thread takes while the event is registered; a message posted while the
// container holds no message event waits in the thread's queue for one.
// ThreadID and Post say where to post.
//
// On other systems than Windows, Add refuses the Spec with an error
// wrapping errors.ErrUnsupported, and its Err method says so before Add.
func Messages() evchan.Spec {
	return evchan.Custom(msgSource{}).WithSource(nil).WithLetter('m').WithErr(messagesSupported())
}

// msgSource is the evchan.Source of a message event. Its Watch is in the
// platform's file.
type msgSource struct{}

// String describes the source for logs.
func (msgSource) String() string { return "message queue" }
