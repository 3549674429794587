package poll

import (
	"net/netip"

	"golang.org/x/sys/windows"
)

// soType is SOL_SOCKET's SO_TYPE, which x/sys/windows does not define.
const soType = 0x1008

// fileID tells sockets apart when handle values are reused (R15). Windows
// hands a closed handle's value to the next object opened, and no cheap call
// names the kernel object behind a handle, so a socket is known by what
// stays fixed in it: its type and family, its local port once bound, and the
// peer of a connected stream socket. A field still unset (zero) is filled
// in as the socket binds or connects, which is not a different socket.
type fileID struct {
	typ    int32
	family uint16
	port   uint16 // local, once bound
	peer   string // of a connected stream socket
}

// identify returns what identifies the socket fd, or an error wrapping
// WSAENOTSOCK for a handle that is no socket, or none.
func identify(fd int) (fileID, error) {
	s := windows.Handle(fd)
	typ, err := windows.GetsockoptInt(s, windows.SOL_SOCKET, soType)
	if err != nil {
		return fileID{}, err
	}
	id := fileID{typ: int32(typ)}
	if sa, err := windows.Getsockname(s); err == nil {
		id.family, id.port, _ = addrKey(sa)
	}
	if typ == windows.SOCK_STREAM {
		// A datagram socket may connect to another peer later: only a
		// stream socket's peer is fixed once it has one.
		if sa, err := windows.Getpeername(s); err == nil {
			_, _, id.peer = addrKey(sa)
		}
	}
	return id, nil
}

// addrKey returns the family and port of a socket address, and a string
// that tells addresses apart.
func addrKey(sa windows.Sockaddr) (family, port uint16, key string) {
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		ap := netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
		return windows.AF_INET, ap.Port(), ap.String()
	case *windows.SockaddrInet6:
		ap := netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))
		return windows.AF_INET6, ap.Port(), ap.String()
	case *windows.SockaddrUnix:
		return windows.AF_UNIX, 0, a.Name
	}
	return 0, 0, ""
}

// successor reports whether now may be the socket that was identified as
// id earlier: the same, or the same since bound or connected, or since its
// connection ended (a reset socket has no peer any more). Only a field
// set in both can tell them apart.
func (id fileID) successor(now fileID) bool {
	differ := func(a, b uint16) bool { return a != 0 && b != 0 && a != b }
	return id.typ == now.typ && !differ(id.family, now.family) && !differ(id.port, now.port) &&
		(id.peer == "" || now.peer == "" || id.peer == now.peer)
}

// merge returns id with the fields it lacks taken from now, a successor.
func (id fileID) merge(now fileID) fileID {
	if id.family == 0 {
		id.family = now.family
	}
	if id.port == 0 {
		id.port = now.port
	}
	if id.peer == "" {
		id.peer = now.peer
	}
	return id
}

// fileOf returns the identity of the socket fd, or the zero fileID. The
// poller asks it only of always-ready descriptors, which Windows has none
// of: WSAPoll watches every socket.
func fileOf(fd int) fileID {
	id, _ := identify(fd)
	return id
}

// sameFile reports whether fd may still be the socket id.
func sameFile(fd int, id fileID) bool {
	got, err := identify(fd)
	return err == nil && id.successor(got)
}
