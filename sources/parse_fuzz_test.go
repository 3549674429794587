package sources_test

import (
	"errors"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"github.com/evchan/evchan/sources"
)

// FuzzParse: Parse never panics; what it accepts carries the letter given
// and can be added to a container, unless it names a descriptor number
// that is not open when added; what it refuses is refused with
// evchan.ErrInvalid or errors.ErrUnsupported (R15, R16).
func FuzzParse(f *testing.F) {
	for _, letter := range []string{"v", "V", "t", "T", "r", "S", "m", "q", "", "vv", "é"} {
		for form := range uint8(sourceForms) {
			f.Add(letter, form, 2.5, int64(3), true)
		}
	}
	f.Add("t", uint8(1), -1.0, int64(-1), false)
	f.Add("T", uint8(1), 1e-300, int64(0), false)

	c := evchan.New()
	f.Cleanup(func() { c.Close() })
	f.Fuzz(func(t *testing.T, letter string, form uint8, x float64, n int64, b bool) {
		source := fuzzSource(form, x, n, b)
		spec, err := sources.Parse(letter, source)
		if err != nil {
			if !errors.Is(err, evchan.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
				t.Fatalf("Parse(%q, %#v) = %v: wraps neither evchan.ErrInvalid nor errors.ErrUnsupported", letter, source, err)
			}
			return
		}
		if spec.Letter() != letter {
			t.Fatalf("Parse(%q, %#v) = %v with letter %q", letter, source, spec, spec.Letter())
		}
		id, err := c.Add(spec, nil, 0)
		if errors.Is(err, poll.ErrBadDescriptor) && errors.Is(err, evchan.ErrInvalid) {
			// A descriptor number is checked against the kernel when the
			// event is added, not when it is parsed: it may be closed, or
			// opened, in between (R15).
			return
		}
		if err != nil {
			t.Fatalf("Parse(%q, %#v) accepted a spec that Add refuses: %v", letter, source, err)
		}
		c.Del(id)
	})
}

// sourceForms is how many forms fuzzSource makes.
const sourceForms = 12

// fuzzSource makes a source of one of the forms a caller might give Parse,
// right or wrong, from the fuzzer's values.
func fuzzSource(form uint8, x float64, n int64, b bool) any {
	switch form % sourceForms {
	case 0:
		return nil
	case 1:
		return x
	case 2:
		return float32(x)
	case 3:
		return int(n)
	case 4:
		return n
	case 5:
		return uint64(n)
	case 6:
		return int8(n)
	case 7:
		return time.Duration(n)
	case 8:
		return b
	case 9:
		return "2.5"
	case 10:
		return []byte("x")
	default:
		return uint32(n)
	}
}
