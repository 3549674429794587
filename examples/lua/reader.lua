-- The draft's "typical event mode socket reader", with its dispatcher loop.
--
--   go run ./cmd/luaevent examples/lua/reader.lua [port]
--
-- It listens on 127.0.0.1 (port 0 picks a free one), prints
-- "listening <port>", takes one client, and prints each line the client
-- sends as "got <line>"; when the client hangs up it prints
-- "closed <error>" and, the container being empty, ends.
--
-- Adapted where the draft's text mixes its two APIs: the reader calls
-- ev:set(id, reader, obj) and ev:once(reader, obj), the old form with two
-- associated objects; with the revised API's one context object the
-- context is the pair {reader, obj}, and the loop below calls
-- ctx[1](ev, ctx[2]). The draft omits the initialisation "for brevity":
-- the socket set-up, obj's receiver and onerror are ours. The reader itself
-- is the draft's.
local event = require("event")
local socket = require("socket")

local ev = event.newset()

-- Typical event mode socket reader.
local function reader(ev, obj)
  local s, err, part, id = obj.sock:receive()
  while s do
    obj:receiver(obj.part .. s)
    obj.part = ""
    s, err, part, id = obj.sock:receive()
  end
  if err == "event" then
    if part then obj.part = obj.part .. part end
    ev:set(id, {reader, obj}) -- Set associated objects for the created event.
    return
  end
  obj:onerror(err)          -- Finalize the object and pass the error.
end

-- (Some initialization omitted for brevity in the draft.)
local server = assert(socket.tcp())
assert(server:bind("127.0.0.1", tonumber(arg[1]) or 0))
assert(server:listen(1))
local _, port = server:getsockname()
print("listening", port)
local client = assert(server:accept())
server:close()

local obj = {
  sock = client,
  receiver = function(self, line) print("got", line) end,
  onerror = function(self, err) print("closed", err); self.sock:close() end,
}

obj.part = ""               -- Initialize partial receive buffer.
obj.sock:seteventmode(ev)   -- Put the socket into event mode.
ev:once({reader, obj})      -- Run the reader once to setup the transfer.

for id, reason, src, ctx in ev(true) do
  ctx[1](ev, ctx[2])
end
