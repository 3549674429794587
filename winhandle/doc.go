// Package winhandle provides Windows handle and message events for evchan
// containers: the draft's handle kind, h (one-shot) and H (persistent), and
// its message kind, m and M.
//
//	c.Add(winhandle.Handle(proc), "child exited", 0)             // h
//	c.Add(winhandle.Handle(ev).Persistent(), "ready", 0)         // H
//	c.Add(winhandle.Messages().Persistent(), "messages", 0)      // M
//	winhandle.Post(c, WM_APP, 1, 2)                              // from anywhere
//	...
//	case e := <-c.C:
//		// e.Reason == evchan.Signaled for a handle,
//		// evchan.Message for messages: winhandle.Received(e)
//
// On other systems than Windows the constructors exist, so that portable
// code compiles, and Add refuses their Specs with an error wrapping
// errors.ErrUnsupported (R15); so do ThreadID and Post.
//
// # Handles
//
// An event of Handle(h) fires with reason evchan.Signaled when the object h
// names is signaled: an event, a process or thread that ended, a waitable
// timer, a semaphore, a change notification, console input: anything
// WaitForMultipleObjects accepts, mutexes excepted (a wait would give the
// mutex to a waiter thread that never releases it). Event.Source and
// Event.Value are h as given.
//
// A persistent event on an object that stays signaled, such as a set
// manual-reset event or an exited process, fires again after each delivery
// (the container's Rearm), and while it waits for a consumer its handle is
// left out of the waits: it is delivered once, with a Count of one, however
// long it waits, and costs nothing meanwhile (R3). An auto-reset object (an
// auto-reset event, a semaphore, a synchronization timer) is reset by the
// wait that notices it, as by any waiter of the object: each signal makes
// one delivery, and signals that come while the event waits for a consumer
// stay in the object (an auto-reset event's several sets collapse into
// one, a semaphore keeps its count) until the next wait after Rearm. So do
// not also wait on an auto-reset object elsewhere: whichever waiter wakes
// first takes the signal. A change notification stays signaled until
// FindNextChangeNotification, which the consumer calls as it handles the
// event, as a reader reads a readable descriptor.
//
// # The 64-handle limit
//
// WaitForMultipleObjects waits on at most 64 handles. A container spreads
// its handle events over waiter goroutines of at most MaxPerWaiter (63)
// handles each, plus a wake event that makes the waiter rebuild its list
// when an event is added, deleted or re-armed: a container's first handle
// event starts a waiter, its 64th a second one, and a waiter ends with its
// last event. There is no limit but memory on the number of handle events;
// each waiter blocks one OS thread in the wait.
//
// # Closing a handle
//
// Delete an event before closing its handle, as the draft says. Add
// duplicates the handle and waits on its own duplicate, which Del closes
// before returning (R9), so closing the handle while it is still registered
// neither crashes nor hangs anything, and an object that later gets the
// same handle value is never watched by mistake (R15). The next time the
// original object is signaled, the event is delivered once with Event.Err
// set to ErrClosedWhileRegistered and deleted (Windows 10 and later tell a
// reused value from the original handle; before, only a value left closed
// is noticed). An object that nothing can signal any more never fires: Del
// its event.
//
// # Messages
//
// Each container with a message event has a message thread: an OS thread
// of its own (runtime.LockOSThread) with a message queue, looping on
// MsgWaitForMultipleObjectsEx. ThreadID returns its ID, so that any code,
// in this process or another one, can post to it with PostThreadMessage;
// Post does that for code that holds the container. The thread starts
// with the first message event or the first ThreadID call, and ends when
// the container is closed, with its queue and whatever is left in it.
//
// An event of Messages() fires with reason evchan.Message when a message
// is in the thread's queue, and carries it: Received(e) returns the
// messages a delivery carries (window, message, wParam, lParam and time of
// each), oldest first, e.Count of them. A one-shot event carries one
// message; a persistent one, each time it is delivered, every message
// taken for it since its last delivery. Every message event of a container
// sees every message taken while it is registered.
//
// No message is lost. The thread takes a message out of the system's queue
// only while every message event of the container has room for it: fewer
// than MaxBatch/2 messages handed to it since its consumer last received
// it. The rest wait in the system's queue, which holds up to 10,000 posted
// messages per thread; past that, PostThreadMessage fails with
// ERROR_NOT_ENOUGH_QUOTA, which tells the poster to slow down. A delivery
// therefore carries at most MaxBatch (1024) messages, and a consumer that
// falls behind costs bounded memory. The flip side: a message event whose
// consumer stops receiving holds up the container's other message events
// once it is MaxBatch/2 behind; delete the events nobody receives. A
// message posted while the container holds no message event waits in the
// queue for one; a message taken for an event that is deleted before it is
// delivered goes with the event.
//
// The thread creates no window, so it only ever gets thread messages
// (HWnd zero): messages sent with SendMessage, and window messages, go to
// the threads that own the windows, not to it.
package winhandle
