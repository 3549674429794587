// Package faults holds evchan's fault suite: tests that inject what the
// kernel, the load and user code do wrong (descriptors closed or replaced
// under their events, running out of descriptors, a stalled consumer,
// signal storms, sources and services that fail) and check that every rule
// of the contract still holds.
//
// It has no API. FAULTS.md, at the repository's root, lists each fault,
// what the user sees when it happens, and the test that holds it.
package faults
