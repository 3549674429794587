//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

const sockTypeName = "socket.tcp"

// tcpSock is a LuaSocket-like TCP object over a non-blocking descriptor.
type tcpSock struct {
	fd      int           // -1 once closed
	timeout time.Duration // < 0: block
	buf     []byte        // received, not yet returned
	kind    string        // "master", "server" or "client"
	// events is the event set given to seteventmode, or nil. In event
	// mode a receive that would wait adds a one-shot "r" event for the
	// socket to it and returns nil, "event", the partial data and the
	// event's id, as the draft's reader example expects of LuaSocket.
	events lua.LValue
}

func preloadSocket(L *lua.LState) {
	L.PreloadModule("socket", func(L *lua.LState) int {
		mt := L.NewTypeMetatable(sockTypeName)
		L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"bind":         sockBind,
			"listen":       sockListen,
			"accept":       sockAccept,
			"connect":      sockConnect,
			"send":         sockSend,
			"receive":      sockReceive,
			"settimeout":   sockSetTimeout,
			"seteventmode": sockSetEventMode,
			"close":        sockClose,
			"getfd":        sockGetFD,
			"getsockname":  sockName(syscall.Getsockname),
			"getpeername":  sockName(syscall.Getpeername),
			"setoption":    func(L *lua.LState) int { checkSock(L); L.Push(lua.LNumber(1)); return 1 },
		}))
		L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
			s := checkSock(L)
			L.Push(lua.LString(fmt.Sprintf("tcp{%s}: %p", s.kind, s)))
			return 1
		}))
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"gettime": func(L *lua.LState) int {
				L.Push(lua.LNumber(float64(time.Now().UnixNano()) / 1e9))
				return 1
			},
			"sleep": func(L *lua.LState) int {
				d := float64(L.CheckNumber(1))
				if d > 0 {
					t := time.NewTimer(time.Duration(math.Min(d, 1e9) * 1e9))
					defer t.Stop()
					var done <-chan struct{}
					if ctx := L.Context(); ctx != nil {
						done = ctx.Done()
					}
					select {
					case <-t.C:
					case <-done:
					}
				}
				return 0
			},
			"tcp": func(L *lua.LState) int {
				fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
				if err != nil {
					return fail(L, err)
				}
				syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
				pushSock(L, &tcpSock{fd: fd, timeout: -1, kind: "master"})
				return 1
			},
		})
		L.Push(mod)
		return 1
	})
}

func pushSock(L *lua.LState, s *tcpSock) {
	ud := L.NewUserData()
	ud.Value = s
	L.SetMetatable(ud, L.GetTypeMetatable(sockTypeName))
	L.Push(ud)
}

func checkSock(L *lua.LState) *tcpSock {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if s, ok := ud.Value.(*tcpSock); ok {
			return s
		}
	}
	L.ArgError(1, "tcp object expected")
	return nil
}

// openSock is checkSock for a socket that must not be closed; it returns
// nil after pushing nil, "closed".
func openSock(L *lua.LState) *tcpSock {
	s := checkSock(L)
	if s.fd < 0 {
		L.Push(lua.LNil)
		L.Push(lua.LString("closed"))
		return nil
	}
	return s
}

// fail pushes nil and LuaSocket's message for err.
func fail(L *lua.LState, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(errMsg(err)))
	return 2
}

var errTimeout = errors.New("timeout")

func errMsg(err error) string {
	switch {
	case errors.Is(err, errTimeout):
		return "timeout"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "closed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	}
	return err.Error()
}

// wait waits until fd is ready for events, or the socket's timeout passes
// (errTimeout), or the state's context is done.
func (s *tcpSock) wait(L *lua.LState, events int16, deadline time.Time) error {
	for {
		ms := 100
		if s.timeout >= 0 {
			left := time.Until(deadline)
			if left <= 0 {
				return errTimeout
			}
			ms = int(min(left, 100*time.Millisecond)/time.Millisecond) + 1
		}
		if ctx := L.Context(); ctx != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		fds := []unix.PollFd{{Fd: int32(s.fd), Events: events}}
		n, err := unix.Poll(fds, ms)
		if err != nil && err != unix.EINTR {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

func (s *tcpSock) deadline() time.Time { return time.Now().Add(s.timeout) }

func sockaddr(L *lua.LState, host string, port int) (syscall.Sockaddr, error) {
	sa := &syscall.SockaddrInet4{Port: port}
	switch host {
	case "*", "0.0.0.0", "":
	case "localhost":
		sa.Addr = [4]byte{127, 0, 0, 1}
	default:
		ip := net.ParseIP(host).To4()
		if ip == nil {
			return nil, fmt.Errorf("host not found: %s", host)
		}
		copy(sa.Addr[:], ip)
	}
	return sa, nil
}

func sockBind(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		return 2
	}
	sa, err := sockaddr(L, L.CheckString(2), L.CheckInt(3))
	if err == nil {
		err = syscall.Bind(s.fd, sa)
	}
	if err != nil {
		return fail(L, err)
	}
	L.Push(lua.LNumber(1))
	return 1
}

func sockListen(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		return 2
	}
	if err := syscall.Listen(s.fd, L.OptInt(2, 32)); err != nil {
		return fail(L, err)
	}
	s.kind = "server"
	L.Push(lua.LNumber(1))
	return 1
}

func sockAccept(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		return 2
	}
	dl := s.deadline()
	for {
		nfd, _, err := syscall.Accept4(s.fd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err == nil {
			pushSock(L, &tcpSock{fd: nfd, timeout: -1, kind: "client"})
			return 1
		}
		if err != syscall.EAGAIN && err != syscall.EINTR && err != syscall.ECONNABORTED {
			return fail(L, err)
		}
		if err == syscall.EAGAIN {
			if err := s.wait(L, unix.POLLIN, dl); err != nil {
				return fail(L, err)
			}
		}
	}
}

func sockConnect(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		return 2
	}
	sa, err := sockaddr(L, L.CheckString(2), L.CheckInt(3))
	if err != nil {
		return fail(L, err)
	}
	err = syscall.Connect(s.fd, sa)
	if err == syscall.EINPROGRESS || err == syscall.EINTR {
		if err = s.wait(L, unix.POLLOUT, s.deadline()); err == nil {
			var soerr int
			soerr, err = syscall.GetsockoptInt(s.fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
			if err == nil && soerr != 0 {
				err = syscall.Errno(soerr)
			}
		}
	}
	if err != nil {
		return fail(L, err)
	}
	s.kind = "client"
	L.Push(lua.LNumber(1))
	return 1
}

// send(data [, i [, j]]) returns the index of the last byte sent, or nil,
// err, last byte sent. i and j are as string.sub's: a negative one counts
// from the end.
func sockSend(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		return 2
	}
	data := L.CheckString(2)
	i, j := L.OptInt(3, 1), L.OptInt(4, len(data))
	if i < 0 {
		i += len(data) + 1
	}
	if j < 0 {
		j += len(data) + 1
	}
	if i < 1 {
		i = 1
	}
	if j > len(data) {
		j = len(data)
	}
	sent := i - 1
	dl := s.deadline()
	for sent < j {
		n, err := syscall.Write(s.fd, []byte(data[sent:j]))
		if n > 0 {
			sent += n
			continue
		}
		if err == syscall.EAGAIN || err == syscall.EINTR {
			if err == syscall.EAGAIN {
				err = s.wait(L, unix.POLLOUT, dl)
			} else {
				err = nil
			}
		}
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(errMsg(err)))
			L.Push(lua.LNumber(sent))
			return 3
		}
	}
	L.Push(lua.LNumber(sent))
	return 1
}

// receive([pattern [, prefix]]): pattern "*l" (default), "*a" or a byte
// count. On failure it returns nil, err, partial.
func sockReceive(L *lua.LState) int {
	s := openSock(L)
	if s == nil {
		L.Push(lua.LString(""))
		return 3
	}
	prefix := L.OptString(3, "")
	var count int
	pattern := "*l"
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if v < 0 || float64(v) != math.Trunc(float64(v)) {
			L.ArgError(2, "invalid receive pattern")
		}
		pattern, count = "", int(v)
	case lua.LString:
		pattern = strings.TrimPrefix(string(v), "*")
		pattern = "*" + pattern[:min(1, len(pattern))]
		if pattern != "*l" && pattern != "*a" {
			L.ArgError(2, "invalid receive pattern")
		}
	default:
		L.ArgError(2, "invalid receive pattern")
	}
	dl := s.deadline()
	tmp := make([]byte, 4096)
	for {
		switch pattern {
		case "*l":
			if i := bytes.IndexByte(s.buf, '\n'); i >= 0 {
				line := bytes.TrimRight(s.buf[:i], "\r")
				L.Push(lua.LString(prefix + string(line)))
				s.buf = s.buf[i+1:]
				return 1
			}
		case "":
			if len(s.buf) >= count {
				L.Push(lua.LString(prefix + string(s.buf[:count])))
				s.buf = s.buf[count:]
				return 1
			}
		}
		n, err := syscall.Read(s.fd, tmp)
		if n > 0 {
			s.buf = append(s.buf, tmp[:n]...)
			continue
		}
		if err == nil { // end of file
			if pattern == "*a" {
				L.Push(lua.LString(prefix + string(s.buf)))
				s.buf = nil
				return 1
			}
			err = syscall.ECONNRESET
		} else if err == syscall.EINTR {
			continue
		} else if err == syscall.EAGAIN && s.events != nil {
			return s.receiveLater(L, prefix)
		} else if err == syscall.EAGAIN {
			if err = s.wait(L, unix.POLLIN, dl); err == nil {
				continue
			}
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(errMsg(err)))
		L.Push(lua.LString(prefix + string(s.buf)))
		s.buf = nil
		return 3
	}
}

// seteventmode(set) puts the socket in event mode (see tcpSock.events);
// seteventmode(nil) takes it out.
func sockSetEventMode(L *lua.LState) int {
	s := checkSock(L)
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
		s.events = nil
	case *lua.LUserData:
		s.events = v
	default:
		L.ArgError(2, "event set expected")
	}
	L.Push(lua.LNumber(1))
	return 1
}

// receiveLater answers a receive that would wait in event mode: it adds a
// one-shot "r" event for the socket (argument 1) to the event set and
// returns nil, "event", the partial data and the event's id.
func (s *tcpSock) receiveLater(L *lua.LState, prefix string) int {
	set := s.events
	if err := L.CallByParam(lua.P{Fn: L.GetField(set, "add"), NRet: 1, Protect: true},
		set, lua.LString("r"), L.Get(1)); err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		L.Push(lua.LString(prefix + string(s.buf)))
		s.buf = nil
		return 3
	}
	id := L.Get(-1)
	L.Pop(1)
	L.Push(lua.LNil)
	L.Push(lua.LString("event"))
	L.Push(lua.LString(prefix + string(s.buf)))
	L.Push(id)
	s.buf = nil
	return 4
}

// settimeout(t): nil or negative blocks, 0 never waits.
func sockSetTimeout(L *lua.LState) int {
	s := checkSock(L)
	s.timeout = -1
	if v, ok := L.Get(2).(lua.LNumber); ok && v >= 0 {
		s.timeout = time.Duration(math.Min(float64(v), 1e9) * 1e9)
	}
	L.Push(lua.LNumber(1))
	return 1
}

func sockClose(L *lua.LState) int {
	s := checkSock(L)
	if s.fd >= 0 {
		syscall.Close(s.fd)
		s.fd = -1
	}
	L.Push(lua.LNumber(1))
	return 1
}

func sockGetFD(L *lua.LState) int {
	L.Push(lua.LNumber(checkSock(L).fd))
	return 1
}

func sockName(get func(int) (syscall.Sockaddr, error)) lua.LGFunction {
	return func(L *lua.LState) int {
		s := openSock(L)
		if s == nil {
			return 2
		}
		sa, err := get(s.fd)
		if err != nil {
			return fail(L, err)
		}
		in, ok := sa.(*syscall.SockaddrInet4)
		if !ok {
			return fail(L, errors.New("not an IPv4 socket"))
		}
		L.Push(lua.LString(net.IP(in.Addr[:]).String()))
		L.Push(lua.LNumber(in.Port))
		return 2
	}
}
