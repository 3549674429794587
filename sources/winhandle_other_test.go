//go:build !windows

package sources_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sources"
	"github.com/evchan/evchan/winhandle"
)

// R16, R15: elsewhere than on Windows the draft's handle and message
// letters are refused with errors.ErrUnsupported, whatever the source,
// never accepted as a silent no-op; and the constructors' Specs are
// refused by Add the same way.
func TestParseWindowsLettersElsewhere(t *testing.T) {
	for _, letter := range []string{"h", "H", "m", "M"} {
		for _, source := range []any{nil, 3, uintptr(4), "x"} {
			_, err := sources.Parse(letter, source)
			if !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("Parse(%q, %v) = %v, want an error wrapping errors.ErrUnsupported", letter, source, err)
			}
			if errors.Is(err, sources.ErrUnknownLetter) {
				t.Errorf("Parse(%q) = %v: the letter is the draft's, not unknown", letter, err)
			}
		}
	}
	c := evchan.New()
	defer c.Close()
	for _, spec := range []evchan.Spec{winhandle.Handle(uintptr(4)), winhandle.Messages().Persistent()} {
		if _, err := c.Add(spec, nil, 0); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Add(%v) = %v, want an error wrapping errors.ErrUnsupported", spec, err)
		}
	}
}

// A kind the platform lacks is refused plainly: here Windows handles.
func ExampleParse_unsupported() {
	_, err := sources.Parse("h", uintptr(4))
	fmt.Println(errors.Is(err, errors.ErrUnsupported), err)
	// Output:
	// true sources: Windows handle event "h": Windows handle and message events need Windows
}
