-- The client of examples/lua/reader-luasocket.lua: connects to the port
-- given, sends lines in pieces with pauses (so that the reader sees
-- partial lines and waits for the rest), then hangs up.
local socket = require("socket")
local c = assert(socket.connect("127.0.0.1", assert(tonumber(arg[1]))))
local pieces = { "hello ", "world\nsecond", " line\n", "third line\nfourth", " and last\n" }
for _, p in ipairs(pieces) do
  assert(c:send(p))
  socket.sleep(0.1)
end
c:close()
