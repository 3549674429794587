//go:build !windows

package winhandle

import (
	"errors"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// errNotWindows is wrapped by every refusal on other systems than Windows.
var errNotWindows = errs.New("winhandle: Windows handle and message events need Windows", errors.ErrUnsupported)

func newHandleSource(h uintptr, shown any) (*handleSource, error) {
	return &handleSource{h: h, shown: shown}, errNotWindows
}

func messagesSupported() error { return errNotWindows }

// Watch refuses: Add never gets here, since the Spec carries the error,
// but a Source must answer all the same.
func (s *handleSource) Watch(evchan.Handle) (evchan.Watcher, error) { return nil, errNotWindows }

// Watch refuses, as handleSource.Watch does.
func (msgSource) Watch(evchan.Handle) (evchan.Watcher, error) { return nil, errNotWindows }

// ThreadID returns the ID of c's message thread. On other systems than
// Windows there is none, and it returns an error wrapping
// errors.ErrUnsupported.
func ThreadID(c *evchan.Container) (uint32, error) { return 0, errNotWindows }

// Post posts a message to c's message thread. On other systems than
// Windows it returns an error wrapping errors.ErrUnsupported.
func Post(c *evchan.Container, msg uint32, wParam, lParam uintptr) error { return errNotWindows }
