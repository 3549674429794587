-- 100,000 add/del cycles with an associated object each: no growth. The
-- Lua heap (collectgarbage("count")) and the process's resident set
-- (/proc/self/statm) after the cycles must stay within 10 % of what they
-- were after the first 10,000. Also one-shot events delivered, and sets
-- made and dropped, which __gc closes. Prints the figures.
local event = require("event")
local N = tonumber(arg and arg[1]) or 100000

local function rss()
  local f = assert(io.open("/proc/self/statm"))
  local _, res = f:read("n", "n")
  f:close()
  return res * 4096 -- pages of 4 KiB
end

local function heap()
  collectgarbage(); collectgarbage()
  return collectgarbage("count") * 1024
end

local sock = assert(require("socket").bind("127.0.0.1", 0))
local ev = event.newset()
local function cycle(i)
  local id = ev:add("V", nil, { i = i, payload = string.rep("x", 64) })
  assert(ev:del(id) == id)
  -- a one-shot event, delivered: released at delivery
  local o = ev:once({ i })
  for got in ev(false) do assert(got == o) end
  -- a descriptor event with a socket-like object
  local r = ev:add("R", { getfd = function() return sock:getfd() end }, i)
  assert(ev:del(r) == r)
  if i % 1000 == 0 then
    -- a set made and dropped: its __gc closes its container
    local s = event.newset()
    s:add("T", 3600, "hourly")
    s:add("V", true, function() return s end) -- a cycle through the set
  end
end

local first = math.floor(N / 10)
for i = 1, first do cycle(i) end
local heap1, rss1 = heap(), rss()
for i = first + 1, N do cycle(i) end
local heap2, rss2 = heap(), rss()
print(string.format("after %d cycles: Lua heap %.0f KiB, RSS %.0f KiB", first, heap1 / 1024, rss1 / 1024))
print(string.format("after %d cycles: Lua heap %.0f KiB, RSS %.0f KiB", N, heap2 / 1024, rss2 / 1024))
print(string.format("growth: Lua heap %+.1f %%, RSS %+.1f %%", (heap2 / heap1 - 1) * 100, (rss2 / rss1 - 1) * 100))
assert(heap2 <= heap1 * 1.1, "the Lua heap grew by more than 10 %")
assert(rss2 <= rss1 * 1.1, "RSS grew by more than 10 %")
print("leak ok")
