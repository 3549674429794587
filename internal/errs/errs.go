// Package errs makes the module's errors: each reads as one sentence with
// one package prefix, names what was wrong, and matches with errors.Is and
// errors.As the sentinels and causes a caller tests, without repeating
// their texts. fmt.Errorf's %w would put every wrapped text in the
// sentence ("evchan: negative timeout -1s: evchan: invalid argument").
package errs

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
