package sources

import (
	"errors"
	"fmt"

	"github.com/evchan/evchan/evchan"
)

// kind is what Parse knows of one of the draft's letters.
type kind struct {
	name string // for error messages: "timer", "readable"...
	// parse returns the one-shot Spec of the kind for the draft's source;
	// Parse makes it persistent for an uppercase letter and sets the letter.
	parse parser
}

// parser turns the source the draft gives with a letter into the one-shot
// Spec of the kind.
type parser func(source any) (evchan.Spec, error)

// kinds is the one table of the draft's letters, lowercase (R16). A kind
// that comes with a later part of the package replaces its notBuilt entry
// here with the parser it defines in its own file.
var kinds = map[byte]kind{
	'v': {"virtual", parseVirtual},
	't': {"timer", parseTimer},
	'r': {"readable", descriptorParser(Readable)},
	'w': {"writable", descriptorParser(Writable)},
	'x': {"exception", descriptorParser(Exception)},
	's': {"signal", parseSignal},
	'h': {"Windows handle", notBuilt("Windows handle")},
	'm': {"Windows message", notBuilt("Windows message")},
}

// notBuilt is the parser of a kind whose events this version of the package
// cannot watch yet: it refuses every source with errors.ErrUnsupported, as
// the spec asks for any kind a platform lacks, never a silent no-op.
func notBuilt(what string) parser {
	return func(any) (evchan.Spec, error) {
		return evchan.Spec{}, fmt.Errorf("%s events are not built yet: %w", what, errors.ErrUnsupported)
	}
}
