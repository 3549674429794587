package sources

import "github.com/evchan/evchan/evchan"

// descriptorParser is the parser of a descriptor letter: the draft's source
// is the descriptor itself.
func descriptorParser(spec func(any) evchan.Spec) parser {
	return func(source any) (evchan.Spec, error) {
		s := spec(source)
		return s, s.Err()
	}
}
