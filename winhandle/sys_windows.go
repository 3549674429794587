package winhandle

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// The calls x/sys/windows does not wrap.
var (
	user32                          = windows.NewLazySystemDLL("user32.dll")
	procMsgWaitForMultipleObjectsEx = user32.NewProc("MsgWaitForMultipleObjectsEx")
	procPeekMessageW                = user32.NewProc("PeekMessageW")
	procPostThreadMessageW          = user32.NewProc("PostThreadMessageW")

	kernelbase               = windows.NewLazySystemDLL("kernelbase.dll")
	procCompareObjectHandles = kernelbase.NewProc("CompareObjectHandles")

	kernel32                 = windows.NewLazySystemDLL("kernel32.dll")
	procGetHandleInformation = kernel32.NewProc("GetHandleInformation")
)

const (
	pmNoRemove = 0x0000 // PM_NOREMOVE
	pmRemove   = 0x0001 // PM_REMOVE

	qsAllInput = 0x04FF // QS_ALLINPUT
)

// msg is the system's MSG structure.
type msg struct {
	hwnd     uintptr
	message  uint32
	wParam   uintptr
	lParam   uintptr
	time     uint32
	pt       [2]int32
	lPrivate uint32
}

// peekMessage is PeekMessageW for any window of the thread and any
// message: it reports whether it found one.
func peekMessage(m *msg, remove uint32) bool {
	r, _, _ := procPeekMessageW.Call(uintptr(unsafe.Pointer(m)), 0, 0, 0, uintptr(remove))
	return r != 0
}

// msgWait is MsgWaitForMultipleObjectsEx on one handle, with no timeout:
// it returns when h is signaled, or, if mask is not zero, when input of
// those kinds arrived in the thread's queue since it was last looked at.
func msgWait(h windows.Handle, mask uint32) (uint32, error) {
	r, _, err := procMsgWaitForMultipleObjectsEx.Call(1, uintptr(unsafe.Pointer(&h)), uintptr(windows.INFINITE), uintptr(mask), 0)
	if uint32(r) == windows.WAIT_FAILED {
		return uint32(r), err
	}
	return uint32(r), nil
}

// postThreadMessage is PostThreadMessageW.
func postThreadMessage(thread uint32, m uint32, wParam, lParam uintptr) error {
	r, _, err := procPostThreadMessageW.Call(uintptr(thread), uintptr(m), wParam, lParam)
	if r == 0 {
		return err
	}
	return nil
}

// sameObject reports whether user still names the object that dup, the
// duplicate made of it at Add, names. Without CompareObjectHandles
// (before Windows 10), it can only tell that user is still open.
func sameObject(user, dup windows.Handle) bool {
	if procCompareObjectHandles.Find() == nil {
		r, _, _ := procCompareObjectHandles.Call(uintptr(user), uintptr(dup))
		return r != 0
	}
	return handleValid(user)
}

// handleValid reports whether h is an open handle of the process.
func handleValid(h windows.Handle) bool {
	var flags uint32
	r, _, _ := procGetHandleInformation.Call(uintptr(h), uintptr(unsafe.Pointer(&flags)))
	return r != 0
}
