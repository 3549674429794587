package sources

import (
	"reflect"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/winhandle"
)

// parseHandle takes the draft's source of a handle event: the handle, as
// a windows.Handle, a syscall.Handle, a uintptr or any type made of one.
// Elsewhere than on Windows every source is refused as the kind is.
func parseHandle(source any) (evchan.Spec, error) {
	if err := winhandle.Messages().Err(); err != nil {
		return evchan.Spec{}, err // the platform has no handle events
	}
	v := reflect.ValueOf(source)
	if !v.IsValid() || v.Kind() != reflect.Uintptr {
		return evchan.Spec{}, invalidf("the source must be a windows.Handle, a syscall.Handle or a uintptr, not %T", source)
	}
	return winhandle.Handle(uintptr(v.Uint())).WithSource(source), nil
}

// parseMessages takes the draft's source of a message event: nothing, since
// the queue is the container's own.
func parseMessages(source any) (evchan.Spec, error) {
	if err := winhandle.Messages().Err(); err != nil {
		return evchan.Spec{}, err // the platform has no message events
	}
	if source != nil {
		return evchan.Spec{}, invalidf("the source must be nil, not %T: a message event watches the container's own queue", source)
	}
	return winhandle.Messages(), nil
}
