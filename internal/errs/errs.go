// Package errs makes the module's errors: each reads as one sentence with
// one package prefix, names what was wrong, and matches with errors.Is and
// errors.As the sentinels and causes a caller tests, without repeating
// their texts. fmt.Errorf's %w would put every wrapped text in the
// sentence ("evchan: negative timeout -1s: evchan: invalid argument").
//
// The rule for an error that wraps another one whose text is a sentence
// already (an error of another package of the module, or of its own): the
// outer error says where the inner one arose, after its own package
// prefix, and goes on with the inner sentence without the inner's package
// prefix, so that only the package that returns the error is named:
//
//	sources: signal event "s": no signal is named "SIGFOO" on linux
//
// which In makes of a prefix "sources: signal event \"s\"" and the sigs
// error "sigs: no signal is named \"SIGFOO\" on linux". A system error
// (a syscall.Errno, an *os.PathError) has no package prefix and is kept
// whole: "poll: descriptor 7 is not an open descriptor: bad file
// descriptor".
package errs

import "strings"

// Error is an error whose text is its own and which wraps others.
type Error struct {
	text  string
	wraps []error
}

// New returns an error that reads as text and matches each error of wraps
// with errors.Is and errors.As. A sentinel made with New is a kind of each
// error it wraps: errors.Is(ErrBadDescriptor, evchan.ErrInvalid) holds.
func New(text string, wraps ...error) error {
	return &Error{text: text, wraps: wraps}
}

func (e *Error) Error() string { return e.text }

// Unwrap returns the errors e wraps.
func (e *Error) Unwrap() []error { return e.wraps }

// packages are the packages of the module whose errors begin with their
// name and a colon: the prefixes Trim takes off.
var packages = [...]string{"evchan", "poll", "sigs", "sources", "winhandle", "dispatch", "luaevent"}

// Trim returns the text of err without the package prefix it begins with
// when it is an error of the module ("sigs: "), so that another error can
// take it into a sentence of its own (see the package documentation).
// Any other text, a system error's say, is returned whole. Trim of nil is
// "".
func Trim(err error) string {
	if err == nil {
		return ""
	}
	text := err.Error()
	name, rest, ok := strings.Cut(text, ": ")
	if !ok {
		return text
	}
	for _, p := range packages {
		if name == p {
			return rest
		}
	}
	return text
}

// In returns the error that says where err arose: its text is where (which
// begins with the prefix of the package calling In), a colon, and err's
// text without its package prefix (Trim). It wraps err, and each error of
// also: errors.Is finds through it whatever it finds through err.
func In(where string, err error, also ...error) error {
	return New(where+": "+Trim(err), append([]error{err}, also...)...)
}
