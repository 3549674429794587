-- 100 clients of examples/lua/echo.lua at once: each connects, then in
-- each of several rounds every client sends a line and reads its echo;
-- then one sends "quit", which stops the server. Port as the first
-- argument, number of clients as the second (default 100).
local socket = require("socket")
local port = assert(tonumber(arg[1]))
local n = tonumber(arg[2]) or 100
local rounds = 5
local clients = {}
for i = 1, n do
  local c = assert(socket.connect("127.0.0.1", port))
  c:settimeout(10)
  clients[i] = c
end
for r = 1, rounds do
  for i, c in ipairs(clients) do
    -- some lines go in two pieces
    local line = string.format("client %d round %d %s", i, r, string.rep("x", i))
    if i % 3 == 0 then
      assert(c:send(line:sub(1, 5)))
      assert(c:send(line:sub(6) .. "\n"))
    else
      assert(c:send(line .. "\n"))
    end
  end
  for i, c in ipairs(clients) do
    local want = string.format("client %d round %d %s", i, r, string.rep("x", i))
    local got, err = c:receive("*l")
    assert(got == want, string.format("client %d round %d: got %s (%s)", i, r, tostring(got), tostring(err)))
  end
end
assert(clients[1]:send("quit\n"))
for _, c in ipairs(clients) do c:close() end
print(string.format("echo ok: %d clients, %d lines each", n, rounds))
