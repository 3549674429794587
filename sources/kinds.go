package sources

import (
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
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

// kinds is the one table of the draft's letters, lowercase (R16). Each
// kind's parser is in the file of its kind.
var kinds = map[byte]kind{
	'v': {"virtual", parseVirtual},
	't': {"timer", parseTimer},
	'r': {"readable", descriptorParser(poll.Readable)},
	'w': {"writable", descriptorParser(poll.Writable)},
	'x': {"exception", descriptorParser(poll.Exception)},
	's': {"signal", parseSignal},
	'h': {"Windows handle", parseHandle},
	'm': {"Windows message", parseMessages},
}
