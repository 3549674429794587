package winhandle

import (
	"fmt"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/internal/errs"
)

// ThreadID returns the ID of c's message thread, starting the thread if
// c has none yet, so that any code can post to it with PostThreadMessage
// (or Post) before any message event is added: a message waits in the
// thread's queue until a message event takes it. The thread lives until
// c is closed. ThreadID fails with an error wrapping evchan.ErrClosed
// after Close.
//
// On other systems than Windows it returns an error wrapping
// errors.ErrUnsupported.
func ThreadID(c *evchan.Container) (uint32, error) {
	t, err := threadOf(c)
	if err != nil {
		return 0, err
	}
	return t.id, nil
}

// Post posts a message to c's message thread with PostThreadMessage,
// starting the thread as ThreadID does. It fails as ThreadID does, or with
// the system's error, such as ERROR_NOT_ENOUGH_QUOTA once 10,000 messages
// wait in the thread's queue (see MaxBatch).
//
// On other systems than Windows it returns an error wrapping
// errors.ErrUnsupported.
func Post(c *evchan.Container, msg uint32, wParam, lParam uintptr) error {
	id, err := ThreadID(c)
	if err != nil {
		return err
	}
	if err := postThreadMessage(id, msg, wParam, lParam); err != nil {
		return errs.New(fmt.Sprintf("winhandle: message %#x cannot be posted to thread %d: PostThreadMessage: %v", msg, id, err), err)
	}
	return nil
}
