//go:build linux

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSocket checks the LuaSocket-compatible calls the examples rely on,
// on the loopback interface.
func TestSocket(t *testing.T) {
	script := `
		local socket = require("socket")
		local event = require("event")
		local t0 = socket.gettime()
		assert(type(t0) == "number" and t0 > 1e9)
		socket.sleep(0.01)
		assert(socket.gettime() - t0 >= 0.01)

		local server = assert(socket.tcp())
		assert(server:bind("127.0.0.1", 0) == 1)
		assert(server:listen(8) == 1)
		local ip, port = server:getsockname()
		assert(ip == "127.0.0.1" and type(port) == "number" and port > 0)
		assert(type(server:getfd()) == "number")

		server:settimeout(0)
		local none, err = server:accept()
		assert(none == nil and err == "timeout", tostring(err))

		local client = assert(socket.tcp())
		client:settimeout(2)
		assert(client:connect("127.0.0.1", port) == 1)
		server:settimeout(2)
		local conn = assert(server:accept())
		assert(tostring(conn):find("tcp{client}"))

		-- the event module watches sockets through getfd (LuaSocket rule)
		local ev = event.newset()
		local rid = ev:add("r", conn, "conn")
		assert(client:send("hello\r\nworld\n12345abc") == 21)
		local n = 0
		for id, why, src, ctx in ev(2) do
			n = n + 1
			assert(id == rid and why == "readable" and src == conn and ctx == "conn")
		end
		assert(n == 1)

		conn:settimeout(1)
		assert(conn:receive() == "hello")
		assert(conn:receive("*l") == "world")
		assert(conn:receive(5) == "12345")
		assert(conn:receive(0) == "")
		conn:settimeout(0)
		local line, err, part = conn:receive("*l")
		assert(line == nil and err == "timeout" and part == "abc", tostring(err))
		-- the partial result is consumed; a prefix puts it back (LuaSocket)
		client:send("def\n")
		conn:settimeout(1)
		assert(conn:receive("*l", part) == "abcdef")
		local d, err, part = conn:receive(10)
		assert(d == nil and err == "timeout" and part == "")

		-- send with indices returns the last byte sent
		assert(client:send("xxABCyy", 3, 5) == 5)
		assert(conn:receive(3) == "ABC")

		-- closing: the reader gets "closed" with what was left
		client:send("tail")
		client:close()
		local d, err, part = conn:receive("*l")
		assert(d == nil and err == "closed" and part == "tail", tostring(err))
		assert(client:close() == 1, "close twice is fine")
		local d, err = client:send("x")
		assert(d == nil and err == "closed")

		-- "*a" reads to the end
		local c2 = assert(socket.tcp())
		c2:settimeout(2)
		assert(c2:connect("localhost", port) == 1)
		local s2 = assert(server:accept())
		c2:send("all of it")
		c2:close()
		s2:settimeout(2)
		assert(s2:receive("*a") == "all of it")
		s2:close()

		-- refused connection
		local c3 = assert(socket.tcp())
		c3:settimeout(2)
		server:close()
		local ok, err = c3:connect("127.0.0.1", port)
		assert(ok == nil and err == "connection refused", tostring(err))
		c3:close()
		conn:close()
		print("ok")
	`
	runScript(t, script)
}

// runScript runs script through the runner; it must print "ok".
func runScript(t *testing.T, script string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.lua")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(context.Background(), path, nil, 1, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != "ok\n" {
		t.Errorf("got %q", out.String())
	}
}

// TestReusedDescriptor closes a socket watched by a persistent "R" event
// and opens another that gets the same descriptor number: the old event
// must not fire for the new socket (R15).
func TestReusedDescriptor(t *testing.T) {
	runScript(t, `
		local socket = require("socket")
		local ev = require("event").newset()
		local a = assert(socket.tcp())
		assert(a:bind("127.0.0.1", 0)); assert(a:listen(4))
		local afd = a:getfd()
		local id = ev:add("R", a, "old")
		a:close()
		local b = assert(socket.tcp())
		assert(b:bind("127.0.0.1", 0)); assert(b:listen(4))
		local _, port = b:getsockname()
		local c = assert(socket.tcp()); c:settimeout(2)
		assert(c:connect("127.0.0.1", port))
		local keep = ev:add("V", nil, "keep")
		for i, why, src, ctx in ev(0.2) do
			error("delivered " .. ctx .. " " .. why .. " (same fd: " .. tostring(afd == b:getfd()) .. ")")
		end
		-- the new socket is watched normally. When the number is registered
		-- again, evchan finds the old registration stale: the old event is
		-- delivered once (Go sees Event.Err "descriptor closed while
		-- registered"; Lua sees only its reason) and deleted, never again.
		local bid = ev:add("r", b, "new")
		local n, stale = 0, 0
		for i, why, src, ctx in ev(2) do
			if i == id then
				stale = stale + 1
				assert(stale == 1 and src == a, "the stale event is delivered at most once")
			else
				assert(i == bid and ctx == "new" and why == "readable", "got " .. ctx .. " " .. why)
				n = n + 1
				ev:del(keep)
			end
		end
		assert(n == 1)
		assert(ev:del(id) == nil, "the stale event is gone")
		b:close(); c:close()
		print("ok")`)
}

// send(data, i, j) takes i and j as string.sub does, LuaSocket's way: a
// negative one counts from the end of data.
func TestSendNegativeIndices(t *testing.T) {
	runScript(t, `
		local socket = require("socket")
		local server = assert(socket.tcp())
		assert(server:bind("127.0.0.1", 0)); assert(server:listen(4))
		local _, port = server:getsockname()
		local client = assert(socket.tcp()); client:settimeout(10)
		assert(client:connect("127.0.0.1", port))
		server:settimeout(10)
		local conn = assert(server:accept()); conn:settimeout(10)
		assert(client:send("0123456789", 1, -3) == 8, "j = -3")
		assert(conn:receive(8) == "01234567")
		assert(client:send("0123456789", -2) == 10, "i = -2")
		assert(conn:receive(2) == "89")
		print("ok")`)
}
