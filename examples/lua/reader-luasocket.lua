-- The draft's "typical event mode socket reader", with its dispatcher loop,
-- on the real LuaSocket in a stock interpreter (the C module, luamod):
--
--   LUA_CPATH='luamod/build/lua5.4/?.so;;' lua5.4 examples/lua/reader-luasocket.lua [port]
--
-- It listens on 127.0.0.1 (port 0 picks a free one), prints
-- "listening <port>", takes one client, and prints each line the client
-- sends as "got <line>"; when the client hangs up it prints
-- "closed <error>" and, the container being empty, ends.
--
-- The one change from reader.lua (which cmd/luaevent's socket module
-- runs): real LuaSocket has no seteventmode(ev), the draft's event mode in
-- which a receive that would wait adds a one-shot "r" event for the socket
-- itself and returns nil, "event", partial, id. Here the socket is put in
-- non-blocking mode instead (settimeout(0)), such a receive returns
-- nil, "timeout", partial, and the reader adds that one-shot "r" event
-- itself, with its associated object, where the draft set the object on
-- the event receive made. The rest is reader.lua's: the context is the
-- pair {reader, obj}, since the revised API has one context object.
local event = require("event")
local socket = require("socket")

local ev = event.newset()

-- Typical event mode socket reader.
local function reader(ev, obj)
  local s, err, part = obj.sock:receive()
  while s do
    obj:receiver(obj.part .. s)
    obj.part = ""
    s, err, part = obj.sock:receive()
  end
  if err == "timeout" then  -- the draft: err == "event", with the event's id
    if part then obj.part = obj.part .. part end
    ev:add("r", obj.sock, {reader, obj}) -- the draft: ev:set(id, {reader, obj})
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
io.stdout:flush()
local client = assert(server:accept())
server:close()

local obj = {
  sock = client,
  receiver = function(self, line) print("got", line); io.stdout:flush() end,
  onerror = function(self, err) print("closed", err); self.sock:close() end,
}

obj.part = ""               -- Initialize partial receive buffer.
obj.sock:settimeout(0)      -- The draft: obj.sock:seteventmode(ev)
ev:once({reader, obj})      -- Run the reader once to setup the transfer.

for id, reason, src, ctx in ev(true) do
  ctx[1](ev, ctx[2])
end
