package sources

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// ErrUnknownLetter is wrapped by the error Parse returns for a letter that is
// not one of the draft's (v t r w x s h m, either case). It satisfies
// errors.Is(err, evchan.ErrInvalid) too, as every bad argument does (R15).
var ErrUnknownLetter = errs.New("sources: unknown event letter", evchan.ErrInvalid)

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
// kind this platform lacks (h and m outside Windows, say). The error names
// the kind and the letter, then says what was wrong with the source:
// `sources: timer event "t": the interval must be positive, not -1`.
func Parse(letter string, source any) (evchan.Spec, error) {
	if len(letter) != 1 {
		return evchan.Spec{}, errs.New(fmt.Sprintf("sources: unknown event letter %q: an event letter is one character", letter), ErrUnknownLetter)
	}
	lower, persistent := letter[0], false
	if 'A' <= lower && lower <= 'Z' {
		lower, persistent = lower+('a'-'A'), true
	}
	k, ok := kinds[lower]
	if !ok {
		return evchan.Spec{}, errs.New(fmt.Sprintf("sources: unknown event letter %q: the draft's letters are v t r w x s h m, in either case", letter), ErrUnknownLetter)
	}
	spec, err := k.parse(source)
	if err == nil {
		err = spec.Err()
	}
	if err != nil {
		// The parsers' own errors have no package prefix; those of the
		// kind's package (sigs, poll, winhandle, evchan) lose theirs.
		return evchan.Spec{}, errs.In(fmt.Sprintf("sources: %s event %q", k.name, letter), err)
	}
	spec = spec.WithLetter(lower)
	if persistent {
		return spec.Persistent(), nil
	}
	return spec.OneShot(), nil
}
