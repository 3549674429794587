// Package property_test checks the evchan container against a model of
// CONTRACT.md rules R1 to R13 with pgregory.net/rapid state-machine tests.
//
// Each check makes a container in a testing/synctest bubble and runs a
// random sequence of Add (virtual events and timers, one-shot or
// persistent, with or without a timeout), Once, SetData, SetTimeout, Trigger, Del (of live,
// deleted and never-issued IDs), Stop, Clear, receives (on C, Next in every
// mode, a call on the event just received before the container has run
// again, whole NoWait and Auto loops, loops stopped from their body, a
// blocked Next ended by Stop, Clear, Del or its context) and sleeps of 1ns
// to hours of virtual time. After every step it compares what the container
// shows with the model: Len, the results of Trigger, SetData, SetTimeout and Del, how long
// each wait took, and every field of every delivered event. The sequence
// ends with Close and the R12 checks.
//
// Every sequence runs twice, once on each way a loop over All waits when
// it has nothing to take: "handover" (the container's goroutines hand it
// the next event) and "inline" (it waits in the container's one Waiter, a
// fake standing in for package poll's kernel wait, which declines now and
// then as the poller does). Steps of loops over All that wait (WaitAll,
// and WakeAll, where another goroutine's Trigger must wake the loop)
// exercise both.
//
// A plain `go test` runs 1,000 sequences (see TestMain). A failure prints
// the shrunk sequence and a seed; run it again with
//
//	go test ./property_test -run TestContainerMatchesModel -rapid.seed=N
//
// and add -rapid.v to see each step, or -rapid.checks=N to run more.
package property_test
