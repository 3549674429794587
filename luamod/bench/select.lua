-- The floor beside the module's figures: a bare LuaSocket loop doing the
-- same round trip with socket.select, on a connected loopback TCP pair.
--
--   select     socket.select({peer}, nil, 0) on a readable socket
--   selectrt   client:send one byte, socket.select({peer}, nil) waits for
--              it, peer:receive(1) takes it: a round trip through the kernel
--
-- Prints "name ns-per-op". N is the first argument (default 100000).
local socket = require("socket")
local N = tonumber(arg and arg[1]) or 100000
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local client = assert(socket.connect("127.0.0.1", port))
local peer = assert(server:accept())
client:setoption("tcp-nodelay", true)

local function report(name, t0, n)
  print(string.format("%s %.1f", name, (socket.gettime() - t0) / n * 1e9))
end

assert(client:send("x"))
local set = { peer }
local t0 = socket.gettime()
for i = 1, N do
  local r = socket.select(set, nil, 0)
  assert(r[1] == peer)
end
report("select", t0, N)
assert(peer:receive(1) == "x")

t0 = socket.gettime()
for i = 1, N do
  assert(client:send("x"))
  local r = socket.select(set, nil)
  assert(r[1] == peer)
  assert(peer:receive(1) == "x")
end
report("selectrt", t0, N)
