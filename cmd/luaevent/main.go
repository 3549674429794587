//go:build linux

// Command luaevent runs a Lua script with the LuaEvents draft's "event"
// module (package luaevent) and a small LuaSocket-compatible "socket"
// module preloaded:
//
//	go run ./cmd/luaevent script.lua [args...]
//
// The script sees its arguments in the global table arg (arg[0] is the
// script) and a global number scale, 1 unless the environment variable
// LUAEVENT_SCALE gives another: the examples multiply their timer intervals
// by it so that tests can run them fast.
//
// The socket module offers socket.gettime(), socket.sleep(s) and TCP over
// IPv4: socket.tcp(), and the methods bind, listen, accept, connect, send,
// receive (patterns "*l", "*a" and a byte count, returning nil, err,
// partial as LuaSocket does), settimeout, seteventmode (the draft's event
// mode: a receive that would wait adds a one-shot "r" event for the socket
// to the set and returns nil, "event", partial, id), close, getfd,
// getsockname, getpeername and setoption (accepted, ignored). Sockets are non-blocking
// descriptors; a timeout is applied with poll(2), so getfd returns a
// descriptor that an event set can watch with "r" and "w".
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"github.com/evchan/evchan/luaevent"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: luaevent script.lua [args...]")
		os.Exit(2)
	}
	scale := 1.0
	if s := os.Getenv("LUAEVENT_SCALE"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			fmt.Fprintln(os.Stderr, "luaevent: LUAEVENT_SCALE must be a positive number")
			os.Exit(2)
		}
		scale = f
	}
	if err := run(context.Background(), os.Args[1], os.Args[2:], scale, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "luaevent:", err)
		os.Exit(1)
	}
}

// run runs the script at path with args, printing to out, until it ends or
// ctx is done.
func run(ctx context.Context, path string, args []string, scale float64, out io.Writer) error {
	L := lua.NewState()
	defer L.Close()
	L.SetContext(ctx)
	luaevent.Preload(L)
	defer luaevent.Close(L)
	preloadSocket(L)

	argt := L.NewTable()
	argt.RawSetInt(0, lua.LString(path))
	for i, a := range args {
		argt.RawSetInt(i+1, lua.LString(a))
	}
	L.SetGlobal("arg", argt)
	L.SetGlobal("scale", lua.LNumber(scale))
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		n := L.GetTop()
		for i := 1; i <= n; i++ {
			if i > 1 {
				io.WriteString(out, "\t")
			}
			io.WriteString(out, L.ToStringMeta(L.Get(i)).String())
		}
		io.WriteString(out, "\n")
		return 0
	}))
	return L.DoFile(path)
}
