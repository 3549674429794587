package winhandle

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"golang.org/x/sys/windows"
)

// The refusals of a handle read as one sentence with the one prefix
// "winhandle: ", naming the handle, and wrap evchan.ErrInvalid and the
// system's error, if any.
func TestHandleErrorTexts(t *testing.T) {
	if err := Handle(windows.Handle(0)).Err(); err == nil || err.Error() != "winhandle: handle 0 is null: it names no object" {
		t.Errorf("Handle(0).Err() = %v", err)
	}
	pseudo := fmt.Sprintf("winhandle: handle %#x is a pseudo handle (GetCurrentProcess, GetCurrentThread, INVALID_HANDLE_VALUE...), which names whoever uses it: duplicate it first", uintptr(windows.InvalidHandle))
	if err := Handle(windows.InvalidHandle).Err(); err == nil || err.Error() != pseudo || !errors.Is(err, evchan.ErrInvalid) {
		t.Errorf("Handle(INVALID_HANDLE_VALUE).Err() = %v, want %q", err, pseudo)
	}

	closed, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	windows.CloseHandle(closed)
	c := evchan.New()
	defer c.Close()
	_, err = c.Add(Handle(closed), nil, 0)
	var errno syscall.Errno
	switch {
	case err == nil:
		t.Fatal("Add of a closed handle succeeded")
	case !strings.HasPrefix(err.Error(), fmt.Sprintf("winhandle: handle %#x cannot be ", uintptr(closed))):
		t.Errorf("Add of a closed handle: %q", err)
	case !errors.Is(err, evchan.ErrInvalid) || !errors.As(err, &errno):
		t.Errorf("Add of a closed handle: %q, not wrapping evchan.ErrInvalid and the system's error", err)
	case strings.Count(err.Error(), "winhandle: ") != 1 || strings.Contains(err.Error(), "evchan: "):
		t.Errorf("Add of a closed handle: %q: not one package prefix", err)
	}
}
