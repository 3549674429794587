package poll

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/evchan/evchan/internal/errs"
	"golang.org/x/sys/windows"
)

// wakeSocket wakes a poller blocked in WSAPoll, which watches sockets only,
// so it cannot take a pipe or an event object: a UDP socket connected to
// its own loopback address is watched with the others, and a datagram sent
// to itself makes the wait return. It is non-blocking, so a full buffer
// never blocks a waker (a wake-up is pending then anyway).
type wakeSocket struct{ s windows.Handle }

var (
	ws2          = windows.NewLazySystemDLL("ws2_32.dll")
	procWSAPoll  = ws2.NewProc("WSAPoll")
	procIoctl    = ws2.NewProc("ioctlsocket")
	startWinsock = sync.OnceValue(func() error {
		// The net package starts Winsock too; a program that gives us
		// sockets has, but the poller must not depend on it.
		var d windows.WSAData
		return windows.WSAStartup(0x202, &d)
	})
)

// fionbio is ioctlsocket's FIONBIO: set the socket non-blocking.
const fionbio = 0x8004667e

func openWakeSocket() (wakeSocket, error) {
	if err := startWinsock(); err != nil {
		return wakeSocket{}, errs.In("poll: WSAStartup", err)
	}
	var failed []error
	for _, a := range []windows.Sockaddr{
		&windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}},
		&windows.SockaddrInet6{Addr: [16]byte{15: 1}}, // a host without IPv4
	} {
		w, err := openWakeSocketAt(a)
		if err == nil {
			return w, nil
		}
		failed = append(failed, err)
	}
	return wakeSocket{}, errs.New(fmt.Sprintf("poll: no wake-up socket could be opened, on 127.0.0.1 (%v) nor on ::1 (%v)", failed[0], failed[1]), failed...)
}

func openWakeSocketAt(addr windows.Sockaddr) (wakeSocket, error) {
	family := int32(windows.AF_INET)
	if _, ok := addr.(*windows.SockaddrInet6); ok {
		family = windows.AF_INET6
	}
	s, err := windows.WSASocket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP, nil, 0, windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		return wakeSocket{}, err
	}
	w := wakeSocket{s}
	err = windows.Bind(s, addr)
	var self windows.Sockaddr
	if err == nil {
		self, err = windows.Getsockname(s)
	}
	if err == nil {
		err = windows.Connect(s, self)
	}
	if err == nil {
		on := uint32(1)
		if r, _, e := procIoctl.Call(uintptr(s), fionbio, uintptr(unsafe.Pointer(&on))); r != 0 {
			err = e
		}
	}
	if err != nil {
		w.close()
		return wakeSocket{}, err
	}
	return w, nil
}

func (w wakeSocket) wake() error {
	b := [1]byte{}
	buf := windows.WSABuf{Len: 1, Buf: &b[0]}
	var sent uint32
	err := windows.WSASend(w.s, &buf, 1, &sent, 0, nil, nil)
	if err == windows.WSAEWOULDBLOCK {
		return nil
	}
	return err
}

// drain empties the socket after a wake-up.
func (w wakeSocket) drain() {
	var b [64]byte
	for {
		buf := windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]}
		var got, flags uint32
		if err := windows.WSARecv(w.s, &buf, 1, &got, &flags, nil, nil); err != nil {
			return
		}
	}
}

func (w wakeSocket) close() error { return windows.Closesocket(w.s) }
