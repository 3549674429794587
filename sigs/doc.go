// Package sigs provides signal events for evchan containers: the draft's
// POSIX signal kind, s (one-shot) and S (persistent).
//
//	c.Add(sigs.Signal(syscall.SIGHUP).Persistent(), "reload", 0)
//	...
//	case e := <-c.C:
//		// e.Reason == evchan.Signal, e.Value == syscall.SIGHUP
//
// An event of Signal(sig) fires with reason evchan.Signal when sig arrives.
// Event.Source is sig as given, Event.Value the signal that arrived, and
// Event.Count how many arrivals the event stands for: a persistent event
// whose consumer falls behind is delivered once for all the arrivals since
// its last delivery (R3). Lookup turns a signal name or number into an
// os.Signal, for parsers of the draft's letters.
//
// # How signals are caught
//
// Signals are caught with os/signal. A container's first event for a signal
// registers one buffered channel with signal.Notify and starts one goroutine
// that hands each arrival to every event of that container watching that
// signal. Two events of one container watching the same signal, or events
// of two containers, each get every arrival (R14). Nothing is registered,
// and no goroutine started, until an event is added: importing the package
// costs nothing, and containers in testing/synctest bubbles that hold no
// signal event are unaffected.
//
// When the last event of a container for a signal ends, its channel is
// given to signal.Stop and its goroutine ends: before Del, Clear or Close
// returns, and for a one-shot event as soon as its one arrival is recorded,
// before it is even delivered. signal.Stop only removes that channel, never
// another package's registration (the package never calls signal.Reset or
// signal.Ignore), so the signal's default action comes back exactly when
// nothing in the process watches it any more, whether an event of some
// container or other code's signal.Notify (R9). A one-shot event therefore
// catches one arrival: once a consumer has received it, the next arrival of
// its signal gets the default action unless something else watches it.
//
// Note that the default action is the Go runtime's: SIGHUP, SIGINT and
// SIGTERM end the program, SIGQUIT ends it with a stack dump, but SIGUSR1,
// SIGUSR2 and most others are caught by the runtime and ignored, as the
// os/signal documentation describes.
//
// # Bursts
//
// The system does not queue an ordinary signal that arrives while the same
// signal is still pending, and os/signal drops an arrival when a channel's
// buffer is full. So Count is at most the number of times a signal was
// sent, and a storm of signals costs a bounded amount of memory: one
// channel buffer per signal per container, and one pending delivery per
// event, however slow the consumer. No event is lost: each is delivered at
// least once after a signal it watches arrives.
//
// # Platforms
//
// On Unix systems every signal os/signal relays can be watched. Add refuses,
// with an error wrapping evchan.ErrInvalid, a nil signal, a number that is
// no signal, and SIGKILL and SIGSTOP, which no program can catch
// (ErrUncatchable); and, with an error wrapping errors.ErrUnsupported, the
// signals the Go runtime keeps for itself and never relays: SIGPROF, and on
// Linux signals 32 to 34 (R15). SIGURG is relayed, but the Go runtime also
// uses it to preempt goroutines, so its events come more often than anyone
// sends it.
//
// On Windows os/signal relays os.Interrupt (Control-C and Control-Break) and
// syscall.SIGTERM (the console closing, log-off, shutdown); every other
// signal is refused with errors.ErrUnsupported. On Plan 9, js and wasip1 no
// signal event is built and every signal is refused with
// errors.ErrUnsupported.
//
// A signal comes from outside any testing/synctest bubble, so signal events
// cannot be watched from inside one.
package sigs
