-- Sources from real Lua: a LuaSocket object (getfd), a raw integer
-- descriptor, io library files (their descriptor, through the FILE * of the
-- file handle), and signals by name and by number.
local event = require("event")
local socket = require("socket")
local ev = event.newset()

-- A connected pair of TCP sockets on the loopback.
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local client = assert(socket.connect("127.0.0.1", port))
local peer = assert(server:accept())
server:close()
peer:settimeout(0)

-- "r" on a LuaSocket object: one-shot, delivered once data comes
local r = ev:add("r", peer, "peer")
for _ in ev(0.05) do error("nothing to read yet") end
assert(client:send("hello\n"))
local n = 0
for id, why, src, ctx in ev(5) do
  n = n + 1
  assert(id == r and why == "readable" and src == peer and ctx == "peer")
end
assert(n == 1 and ev:del(r) == nil, "one-shot")
assert(peer:receive() == "hello")

-- "R" on the raw descriptor, with a timeout
local fd = peer:getfd()
-- (LuaSocket returns the descriptor as a float: 7.0 in Lua 5.4; taken as 7)
local R = ev:add("R", fd, "raw", 0.05)
n = 0
for id, why, src, ctx in ev(true) do
  n = n + 1
  assert(id == R and src == fd and ctx == "raw")
  if n == 1 then
    assert(why == "timeout", why)
    assert(client:send("x"))
  else
    assert(why == "readable", why)
    assert(peer:receive(1) == "x")
    ev:del(R)
  end
end
assert(n == 2)

-- "W" on the client: writable at once
local W = ev:add("W", client, "w")
for id, why, src, ctx in ev(5) do
  assert(id == W and why == "writable" and src == client)
  ev:del(W)
end

-- io library files: a regular file is always readable; a pipe from
-- io.popen becomes readable when the child writes
local f = assert(io.open("/etc/hostname"))
local fid = ev:add("r", f, "file")
for id, why, src in ev(5) do assert(id == fid and why == "readable" and src == f) end
f:close()
local ok, err = pcall(ev.add, ev, "r", f)
assert(not ok and err:find("attempt to use a closed file", 1, true), err)
local p = assert(io.popen("sleep 0.2; echo piped"))
local pid = ev:add("r", p, "pipe")
for _ in ev(0.05) do error("the pipe has nothing yet") end
for id, why, src in ev(5) do assert(id == pid and why == "readable" and src == p) end
assert(p:read("l") == "piped")
p:close()
local sid = ev:add("r", io.stdin, "stdin")
assert(ev:del(sid) == sid)

-- a closed socket: getfd() gives -1
client:close()
ok, err = pcall(ev.add, ev, "r", client)
assert(not ok and err:find("invalid file descriptor -1", 1, true), err)
peer:close()

-- signals, by name and by number; this process's pid from /proc
local stat = assert(io.open("/proc/self/stat")):read("a")
local me = assert(tonumber(stat:match("^(%d+)")))
local s1 = ev:add("s", "SIGUSR1", "one")
local s2 = ev:add("S", 12, "many") -- SIGUSR2 on Linux
os.execute("kill -USR1 " .. me)
n = 0
for id, why, src, ctx in ev(5) do
  n = n + 1
  assert(id == s1 and why == "signal" and src == "SIGUSR1" and ctx == "one")
  break
end
assert(n == 1 and ev:del(s1) == nil, "one-shot signal event gone")
for round = 1, 2 do
  os.execute("kill -USR2 " .. me)
  local got = false
  for id, why, src, ctx in ev(5) do
    assert(id == s2 and why == "signal" and src == 12 and ctx == "many")
    got = true
    break
  end
  assert(got, "signal " .. round)
end
assert(ev:del(s2) == s2)
print("sources ok")
