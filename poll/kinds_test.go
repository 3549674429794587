//go:build linux

package poll_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"golang.org/x/sys/unix"
)

// CONTRACT.md Event kinds, on the descriptors a program watches: pipes, socket
// pairs, TCP and UDP on the loopback interface, a pseudo-terminal. Each
// fires R when data comes and W when there is room.

// CONTRACT.md Event kinds: an os.Pipe, written with (*os.File).Write, read with (*os.File).Read.
func TestKindOSPipe(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		r, w := osPipe(t)
		wid := add(t, c, b.Writable(w), "w", 0)
		want(t, next(t, c, "w on an empty pipe"), wid, evchan.Writable)
		rid := add(t, c, b.Readable(r), "r", 0)
		if _, err := w.Write([]byte("pipe")); err != nil {
			t.Fatal(err)
		}
		want(t, next(t, c, "r on a pipe written to"), rid, evchan.Readable)
		r.SetReadDeadline(timeLimit())
		buf := make([]byte, 8)
		if n, err := r.Read(buf); err != nil || string(buf[:n]) != "pipe" {
			t.Fatalf("Read: %q, %v", buf[:n], err)
		}
	})
}

// CONTRACT.md Event kinds: a socket pair, both ways.
func TestKindSocketpair(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		s0, s1 := socketpair(t)
		id0 := add(t, c, b.Readable(s0).Persistent(), "s0", 0)
		id1 := add(t, c, b.Readable(s1).Persistent(), "s1", 0)
		writeByte(t, s0)
		want(t, next(t, c, "R of s1"), id1, evchan.Readable)
		readAll(t, s1)
		writeByte(t, s1)
		e, before := until(t, c, id0, "R of s0")
		want(t, e, id0, evchan.Readable)
		for _, e := range before { // a late delivery of s1, read already
			want(t, e, id1, evchan.Readable)
		}
		readAll(t, s0)
	})
}

// CONTRACT.md Event kinds: UDP on the loopback interface, R when a datagram waits, W at once.
func TestKindUDP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		recv, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer recv.Close()
		send, err := net.DialUDP("udp", nil, recv.LocalAddr().(*net.UDPAddr))
		if err != nil {
			t.Fatal(err)
		}
		defer send.Close()
		wid := add(t, c, b.Writable(send), "w", 0)
		want(t, next(t, c, "w on a UDP socket"), wid, evchan.Writable)
		rid := add(t, c, b.Readable(recv).Persistent(), "R", 0)
		for i := range 3 {
			msg := fmt.Sprintf("datagram %d", i)
			if _, err := send.Write([]byte(msg)); err != nil {
				t.Fatal(err)
			}
			want(t, next(t, c, "R of the UDP socket"), rid, evchan.Readable)
			deadline(t, recv)
			buf := make([]byte, 64)
			n, _, err := recv.ReadFromUDP(buf)
			if err != nil || string(buf[:n]) != msg {
				t.Fatalf("ReadFromUDP: %q, %v, want %q", buf[:n], err, msg)
			}
			// A late delivery, if any, announced this datagram.
			if evs := of(settle(t, c, b), rid); len(evs) > 1 {
				t.Fatalf("got %v after the datagram was read", evs)
			}
		}
	})
}

// openPTY opens a pseudo-terminal the way posix_openpt, grantpt, unlockpt
// and ptsname do, and returns its master and slave, closed when the test
// ends. It skips the test if the system has none.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var n int
	control(t, master, func(fd int) {
		if err = unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			return
		}
		n, err = unix.IoctlGetInt(fd, unix.TIOCGPTN)
	})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// CONTRACT.md Event kinds: a pseudo-terminal, R on the master when the slave writes, R on the slave
// when the master writes a line, and R on the master once the slave side is closed (hang-up),
// after which its read fails with EIO.
func TestKindPTY(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b poll.Backend) {
		c := newContainer(t)
		master, slave := openPTY(t)
		mid := add(t, c, b.Readable(master).Persistent(), "master", 0)
		if evs := of(settle(t, c, b), mid); len(evs) != 0 {
			t.Fatalf("got %v before anything was written", evs)
		}
		if _, err := slave.Write([]byte("out\n")); err != nil {
			t.Fatal(err)
		}
		want(t, next(t, c, "R of the master after the slave wrote"), mid, evchan.Readable)
		master.SetReadDeadline(timeLimit())
		buf := make([]byte, 64)
		n, err := master.Read(buf)
		if err != nil || !bytes.HasPrefix(buf[:n], []byte("out")) {
			t.Fatalf("master Read: %q, %v", buf[:n], err)
		}
		if !c.Del(mid) {
			t.Fatal("Del of the master's R reported false")
		}

		sid := add(t, c, b.Readable(slave), "slave", 0)
		if _, err := master.Write([]byte("in\n")); err != nil {
			t.Fatal(err)
		}
		e, _ := until(t, c, sid, "R of the slave after the master wrote a line")
		want(t, e, sid, evchan.Readable)
		slave.SetReadDeadline(timeLimit())
		if n, err := slave.Read(buf); err != nil || !bytes.HasPrefix(buf[:n], []byte("in")) {
			t.Fatalf("slave Read: %q, %v", buf[:n], err)
		}

		// Hang-up: the master reads the echo, then the slave closes.
		master.SetReadDeadline(timeLimit())
		mid = add(t, c, b.Readable(master), "master, echo", 0)
		e, _ = until(t, c, mid, "R of the master (echo of the line)")
		want(t, e, mid, evchan.Readable)
		if _, err := master.Read(buf); err != nil {
			t.Fatalf("master Read of the echo: %v", err)
		}
		mid = add(t, c, b.Readable(master), "master, hang-up", 0)
		slave.Close()
		e, _ = until(t, c, mid, "R of the master after the slave closed")
		if e.Reason != evchan.Readable {
			t.Fatalf("got %v after the slave closed, want readable", e)
		}
		_, err = master.Read(buf)
		if !errors.Is(err, syscall.EIO) {
			t.Errorf("master Read after the slave closed: %v, want EIO (Linux)", err)
		}
	})
}
