-- The module's costs as a Lua program sees them, in one script that runs
-- unchanged under the real-Lua module (lua5.4, luajit) and under
-- cmd/luaevent (gopher-lua):
--
--   roundtrip  N virtual round trips: ev:trigger(id) in the body of an
--              ev(true) loop, and the iterator's next call receiving it
--   timers     N one-shot timers added, then all delivered by an ev(true) loop
--              (per timer: its add and its delivery)
--
-- Prints "name ns-per-op". N is the first argument (default 100000); a
-- second argument, "roundtrip" or "timers", runs that part only.
local event = require("event")
local socket = require("socket")
local N = tonumber(arg and arg[1]) or 100000
local only = arg and arg[2]

local function report(name, t0, n)
  print(string.format("%s %.1f", name, (socket.gettime() - t0) / n * 1e9))
end

local ev = event.newset()
local n, t0

-- virtual round trips
if only == nil or only == "roundtrip" then
  local v = ev:add("V", nil, "v")
  n = 0
  t0 = socket.gettime()
  ev:trigger(v)
  for id in ev(true) do
    n = n + 1
    if n == N then break end
    ev:trigger(id)
  end
  report("roundtrip", t0, N)
  ev:del(v)
end

-- one-shot timers
if only == nil or only == "timers" then
  n = 0
  t0 = socket.gettime()
  for i = 1, N do ev:add("t", 0.01, i) end
  for id, why in ev(true) do n = n + 1 end
  assert(n == N, "every timer delivered")
  report("timers", t0, N)
end
