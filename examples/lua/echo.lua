-- An event-driven echo server: one persistent "R" event per client with an
-- idle timeout, and one for the listening socket.
--
--   go run ./cmd/luaevent examples/lua/echo.lua [port [idle-seconds]]
--
-- It listens on 127.0.0.1 (port 0 picks a free one) and prints
-- "listening <port>". Each line a client sends comes back; a client idle
-- for idle-seconds gets "bye" and is closed; the line "quit" stops the
-- server.
local event = require("event")
local socket = require("socket")

local port = tonumber(arg[1]) or 0
local idle = tonumber(arg[2]) or 10

local server = assert(socket.tcp())
assert(server:bind("127.0.0.1", port))
assert(server:listen(256))
server:settimeout(0)
local _, bound = server:getsockname()
print("listening", bound)

local ev = event.newset()
local partial = {} -- client -> the start of a line not complete yet

local function drop(id, c)
  ev:del(id)
  partial[c] = nil
  c:close()
end

local function send(c, s)
  c:settimeout(1)
  local ok, err = c:send(s)
  c:settimeout(0)
  return ok, err
end

local served = 0
ev:add("R", server, "accept")
for id, why, src, ctx in ev(true) do
  if ctx == "accept" then
    while true do
      local c = server:accept() -- nil, "timeout" once none is waiting
      if not c then break end
      c:settimeout(0)
      partial[c] = ""
      ev:add("R", c, "client", idle)
      served = served + 1
    end
  elseif why == "timeout" then
    send(src, "bye\n")
    drop(id, src)
  else
    local c = src
    while true do
      local line, err, part = c:receive("*l", partial[c])
      if line == "quit" then
        ev:clear() -- the loop ends: the set is empty
        for other in pairs(partial) do other:close() end
        break
      elseif line then
        partial[c] = ""
        if not send(c, line .. "\n") then drop(id, c); break end
      elseif err == "timeout" then
        partial[c] = part -- wait for the rest of the line
        break
      else -- "closed" or another error
        drop(id, c)
        break
      end
    end
  end
end
server:close()
print("served", served)
