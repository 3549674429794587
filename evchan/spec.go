package evchan

import (
	"fmt"
	"time"
)

// kind is what the container itself must know about an event: virtual events
// and timers are native, every other kind is a Source.
type kind uint8

const (
	kindVirtual kind = iota + 1
	kindTimer
	kindCustom
)

// A Spec says what an event watches and whether it is persistent: the draft's
// type letter and source in one value. Build one with Virtual, Timer or
// Custom, or the constructor of the package that watches the kind
// (poll.Readable, sigs.Signal...: package sources lists them all), and give
// it to Container.Add.
//
// Constructors never fail: a Spec built from bad input carries the error, and
// Add returns it. A Spec is a plain value and may be added many times.
type Spec struct {
	kind       kind
	persistent bool
	triggered  bool          // virtual: the initial state
	interval   time.Duration // timer
	source     Source        // custom
	shown      any           // what Event.Source reports for a custom event
	letter     byte          // the draft's letter, lowercase; 0 if none
	err        error
}

// Virtual returns the Spec of a one-shot virtual event (the draft's "v"):
// it fires when Trigger is called, or at once if triggered is true (R5).
func Virtual(triggered bool) Spec {
	return Spec{kind: kindVirtual, triggered: triggered, letter: 'v'}
}

// Timer returns the Spec of a one-shot timer (the draft's "t") that expires
// interval after Add. Persistent() makes it periodic ("T"), with a fixed-rate
// schedule (R6). The interval must be positive.
func Timer(interval time.Duration) Spec {
	s := Spec{kind: kindTimer, interval: interval, letter: 't'}
	if interval <= 0 {
		s.err = invalidf("timer interval %v is not positive", interval)
	}
	return s
}

// Custom returns the Spec of a one-shot event watched by src. Event.Source
// reports src unless WithSource says otherwise. A nil src, or a nil
// pointer or func of a type that implements Source, is refused (Add
// returns an error wrapping ErrInvalid).
func Custom(src Source) Spec {
	s := Spec{kind: kindCustom, source: src, shown: src}
	switch {
	case src == nil:
		s.err = invalidf("nil source")
	case isNilPointer(src):
		s.err = invalidf("nil %T as a source", src)
	}
	return s
}

// Persistent returns s as a persistent event (the draft's uppercase letters):
// it stays in the container after each delivery until Del, Clear or Close.
func (s Spec) Persistent() Spec { s.persistent = true; return s }

// OneShot returns s as a one-shot event (the draft's lowercase letters): it is
// deleted at the moment it is delivered (R1).
func (s Spec) OneShot() Spec { s.persistent = false; return s }

// IsPersistent reports whether s is persistent.
func (s Spec) IsPersistent() bool { return s.persistent }

// WithSource returns s with v as what Event.Source reports, so that a source
// package can show users the descriptor or signal they gave, not its own type.
func (s Spec) WithSource(v any) Spec { s.shown = v; return s }

// WithLetter returns s with the draft's letter of its kind (lowercase, as in
// 'r' for readable), used by Letter and String. Source packages set it.
func (s Spec) WithLetter(letter byte) Spec {
	if 'A' <= letter && letter <= 'Z' {
		letter += 'a' - 'A'
	}
	s.letter = letter
	return s
}

// WithErr returns s carrying err, which Err then reports and Add returns,
// so that a source package can refuse bad input where the Spec is built,
// following the convention that constructors never fail. A nil err leaves
// s as it is.
func (s Spec) WithErr(err error) Spec {
	if err != nil {
		s.err = err
	}
	return s
}

// Letter returns the draft's type letter of s: lowercase when one-shot,
// uppercase when persistent, "" for a custom source without one.
func (s Spec) Letter() string {
	if s.letter == 0 {
		return ""
	}
	if s.persistent {
		return string(rune(s.letter - ('a' - 'A')))
	}
	return string(rune(s.letter))
}

// Source returns what Event.Source will report for events of s.
func (s Spec) Source() any {
	switch s.kind {
	case kindVirtual:
		return s.triggered
	case kindTimer:
		return s.interval
	}
	return s.shown
}

// Err returns the error s was built with, the one Add would return; nil if s
// is valid so far (a source may still refuse it when added).
func (s Spec) Err() error {
	if s.kind == 0 {
		return invalidf("zero Spec: build one with Virtual, Timer or Custom, or a source package's constructor")
	}
	return s.err
}

// String describes s as the draft would write it: letter and source.
func (s Spec) String() string {
	l := s.Letter()
	if l == "" {
		l = "custom"
	}
	return fmt.Sprintf("%s(%v)", l, s.Source())
}
