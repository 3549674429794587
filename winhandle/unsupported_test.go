//go:build !windows

package winhandle

import (
	"errors"
	"testing"

	"github.com/evchan/evchan/evchan"
)

// R15: elsewhere than on Windows the constructors exist and Add refuses
// their Specs with errors.ErrUnsupported, never a silent no-op.
func TestUnsupportedElsewhere(t *testing.T) {
	c := evchan.New()
	defer c.Close()
	for _, spec := range []evchan.Spec{
		Handle(uintptr(4)), Handle(uintptr(4)).Persistent(), Handle(uintptr(0)),
		Messages(), Messages().Persistent(),
	} {
		if err := spec.Err(); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("%v: Err() = %v, want errors.ErrUnsupported", spec, err)
		}
		if _, err := c.Add(spec, nil, 0); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Add(%v) = %v, want errors.ErrUnsupported", spec, err)
		}
	}
	if c.Len() != 0 {
		t.Errorf("Len = %d after refused Adds, want 0", c.Len())
	}
	if _, err := ThreadID(c); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("ThreadID = %v, want errors.ErrUnsupported", err)
	}
	if err := Post(c, 0x8000, 1, 2); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Post = %v, want errors.ErrUnsupported", err)
	}
	if err, want := Handle(uintptr(4)).Err(), "winhandle: Windows handle and message events need Windows"; err.Error() != want {
		t.Errorf("Handle(4).Err() = %q, want %q", err, want)
	}
	if got := Handle(uintptr(4)).Letter() + Messages().Persistent().Letter(); got != "hM" {
		t.Errorf("letters %q, want \"hM\"", got)
	}
}
