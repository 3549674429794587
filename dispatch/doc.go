// Package dispatch runs the handlers of an evchan container's events: the
// dispatcher layer the LuaEvents draft leaves to its users ("an appropriate
// dispatcher that knows what to do with the associated object"), in three
// strategies over one loop.
//
// The data given to Container.Add (or SetData) says what to do with an
// event: a func(evchan.Event), a HandlerFunc or any value with a
// Handle(evchan.Event) method is called with it, as the draft's reader does
// with `ev:set(id, reader, obj)`. Events whose data is none of these go to
// the Fallback handler, and are dropped without one.
//
//	c := evchan.New()
//	defer c.Close()
//	c.Add(poll.Readable(conn).Persistent(), client, time.Minute) // client has Handle
//	err := dispatch.Goroutines(ctx, c, 100)
//
// # Strategies
//
//	             where handlers run         at once at most   same ID
//	Run          the caller's goroutine     1                 in order (trivially)
//	Goroutines   a goroutine per event      limit             in order, one at a time
//	Pool         a fixed set of workers     workers           in order, one at a time
//
// Run is the draft's loop: `for e in ev(true) do call(e) end`. It needs no
// locking in handlers and keeps every event in order, but one slow handler
// holds up all the others.
//
// Goroutines starts a goroutine for each event, at most limit at once (an
// event that arrives while its ID is busy runs next on that ID's goroutine);
// a goroutine costs a few kilobytes and exists only while it has work, so
// this suits many mostly idle sources (a server's connections).
//
// Pool starts its workers once and hands events to them; its cost is fixed
// whatever the load, which suits steady work and bounds memory exactly.
//
// In Goroutines and Pool the events of one ID are handled one at a time and
// in the order the container delivered them, so a persistent event (a socket
// reader, a ticker) never runs twice at once and its handler needs no lock
// of its own. Events of different IDs run concurrently.
//
// Every strategy re-arms a persistent event once its handler has returned
// (evchan.Container.Hold), so a socket reader's handler reads what its event
// announced before the container looks at the socket again: no handler is
// run for data an earlier one already read.
//
// # Back-pressure
//
// Goroutines and Pool hold at most limit (or workers) events taken out of the
// container and not yet handled, counting those waiting behind a busy ID.
// When all are in use the loop takes nothing more, so events wait in the
// container, where firings coalesce (R3) and stay in order (R4): the work
// the dispatcher holds never grows with the rate of the sources.
//
// # Ending
//
// Every strategy loops over the container as c.AllContext(ctx, evchan.Block)
// does and ends as it does (R10, R12, R13): when ctx is done, when Stop,
// Clear or Close is called (from anywhere, a handler included), or when the
// container is empty. Before returning, every strategy waits for the
// handlers in flight, and for the events it already took out of the
// container to be handled, so no goroutine it started outlives it and no
// taken event is lost. It returns ctx.Err() if ctx ended the loop, else nil.
// A nil ctx is taken as context.Background(), as the container's own loops
// take it: such a dispatcher ends only by Stop, Clear, Close or an empty
// container, and returns nil.
//
// With concurrent handlers the container may be empty only for a moment,
// while a handler is about to add the next event, so Goroutines and Pool end
// by themselves only when the container is empty and no handler is running.
// To tell that from a Stop they keep one event of their own in the container
// while they run, a persistent virtual event that is never handed to a
// handler: Container.Len counts it. It is looked at whenever the last
// handler in flight ends; a Del from outside any handler that empties the
// container while no handler runs is therefore only noticed at the next
// event: end such loops with Stop or the context.
//
// # Panics
//
// A handler that panics does not end the loop: the panic is recovered and
// passed with its event to the OnPanic option (by default it is logged with
// its stack), and the event's ID keeps working: a persistent event is
// delivered and handled again as usual.
package dispatch
