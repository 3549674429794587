package sources

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
)

// ErrUnknownLetter is wrapped by the error Parse returns for a letter that is
// not one of the draft's (v t r w x s h m, either case). It satisfies
// errors.Is(err, evchan.ErrInvalid) too, as every bad argument does (R15).
var ErrUnknownLetter error = unknownLetter{}

// unknownLetter is the type of ErrUnknownLetter: an error of its own, so that
// its message stays short while it still matches evchan.ErrInvalid.
type unknownLetter struct{}

func (unknownLetter) Error() string { return "sources: unknown event letter" }

// Is makes ErrUnknownLetter a kind of evchan.ErrInvalid.
func (unknownLetter) Is(target error) bool { return target == evchan.ErrInvalid }

// Parse returns the Spec for one of the draft's event letters and the source
// the draft would give with it, so that code written against the draft
// translates one to one (R16): Parse("T", 2.5) is
// Timer(2500*time.Millisecond).Persistent(). A lowercase letter is a
// one-shot event, an uppercase one persistent, and the Spec's Letter reports
// the letter given. The letters and their sources are listed in the package
// documentation.
//
// Parse fails with an error wrapping ErrUnknownLetter for anything but one
// of the draft's letters, with one wrapping evchan.ErrInvalid for a source of
// the wrong type or value, and with one wrapping errors.ErrUnsupported for a
// kind this platform lacks (h and m outside Windows, say).
func Parse(letter string, source any) (evchan.Spec, error) {
	if len(letter) != 1 {
		return evchan.Spec{}, fmt.Errorf("%w %q: an event letter is one character", ErrUnknownLetter, letter)
	}
	lower, persistent := letter[0], false
	if 'A' <= lower && lower <= 'Z' {
		lower, persistent = lower+('a'-'A'), true
	}
	k, ok := kinds[lower]
	if !ok {
		return evchan.Spec{}, fmt.Errorf("%w %q (the draft's letters are v t r w x s h m)", ErrUnknownLetter, letter)
	}
	spec, err := k.parse(source)
	if err == nil {
		err = spec.Err()
	}
	if err != nil {
		return evchan.Spec{}, fmt.Errorf("sources: %s event %q: %w", k.name, letter, err)
	}
	spec = spec.WithLetter(lower)
	if persistent {
		return spec.Persistent(), nil
	}
	return spec.OneShot(), nil
}
