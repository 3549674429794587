package poll

import (
	"testing"

	"golang.org/x/sys/windows"
)

// R15, below the poller: a socket closed between two polls, its handle
// value taken by a new socket that is readable. WSAPoll, given the value,
// reports the new socket's readiness; the identity check must turn that
// into readyInvalid, never readable. (A socket closed while WSAPoll blocks
// is reported POLLNVAL by WSAPoll itself: the tests of package poll_test.)
func TestWSAPollHandleReusedBetweenPolls(t *testing.T) {
	m, err := openWSAPoll()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	loopback := &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	old, err := openWakeSocketAt(loopback) // a UDP socket connected to itself
	if err != nil {
		t.Fatal(err)
	}
	fd := int(old.s)
	if err := m.watch(fd, 7, wantRead, false); err != nil {
		t.Fatal(err)
	}
	old.close()
	var reused wakeSocket
	for range 1000 {
		s, err := openWakeSocketAt(loopback)
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		if int(s.s) == fd {
			reused = s
			break
		}
	}
	if reused.s == 0 {
		t.Skipf("no new socket took the closed handle %d", fd)
	}
	if err := reused.wake(); err != nil { // readable from now on
		t.Fatal(err)
	}
	got, _, err := m.newWaiter(true).poll(nil, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, rd := range got {
		if rd.fd == fd && rd.flags != readyInvalid {
			t.Fatalf("WSAPoll reported %+v for a closed socket's handle, now another socket's: want readyInvalid (R15)", rd)
		}
	}
	if len(got) != 1 || got[0] != (readiness{fd: fd, gen: 7, flags: readyInvalid}) {
		t.Fatalf("wait reported %+v, want the closed socket invalid (R15)", got)
	}
}

// R15: a socket watched before it was bound is known by its port once a
// poll saw it bound, so that a socket that takes its handle value later,
// bound elsewhere, is told apart.
func TestWSAPollLearnsIdentity(t *testing.T) {
	m, err := openWSAPoll()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	s, err := windows.WSASocket(windows.AF_INET, windows.SOCK_DGRAM, windows.IPPROTO_UDP, nil, 0, windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		t.Fatal(err)
	}
	fd := int(s)
	if err := m.watch(fd, 7, wantWrite, false); err != nil {
		t.Fatal(err)
	}
	loopback := &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if err := windows.Bind(s, loopback); err != nil {
		t.Fatal(err)
	}
	w := m.newWaiter(true)
	got, _, err := w.poll(nil, -1) // writable: learns the port it is bound to
	if err != nil || len(got) != 1 || got[0].flags&readyWrite == 0 {
		t.Fatalf("wait reported %+v, %v; want the bound socket writable", got, err)
	}
	windows.Closesocket(s)
	var reused wakeSocket
	for range 1000 {
		w, err := openWakeSocketAt(loopback) // writable, bound to another port
		if err != nil {
			t.Fatal(err)
		}
		defer w.close()
		if int(w.s) == fd {
			reused = w
			break
		}
	}
	if reused.s == 0 {
		t.Skipf("no new socket took the closed handle %d", fd)
	}
	got, _, err = w.poll(nil, -1)
	if err != nil || len(got) != 1 || got[0] != (readiness{fd: fd, gen: 7, flags: readyInvalid}) {
		t.Fatalf("wait reported %+v, %v; want the closed socket invalid (R15)", got, err)
	}
}

// R12, below the poller: close releases the wake-up socket, the only
// handle the mechanism holds.
func TestWSAPollCloseReleasesSocket(t *testing.T) {
	m, err := openWSAPoll()
	if err != nil {
		t.Fatal(err)
	}
	fd := int(m.wakeup.s)
	if _, err := identify(fd); err != nil {
		t.Fatalf("the wake-up socket %d: %v", fd, err)
	}
	if err := m.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := identify(fd); err != windows.WSAENOTSOCK {
		t.Fatalf("the wake-up socket %d after close: %v, want WSAENOTSOCK", fd, err)
	}
}
