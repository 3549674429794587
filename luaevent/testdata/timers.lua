-- R6 R7 R13: timers never early, fixed rate, timeouts of other events,
-- Auto blocks while a timer is present.
local ev = require("event").newset()
local t0 = now()
local t = ev:add("t", 0.5, "once")
local T = ev:add("T", 0.2, "tick", 99) -- R6: the timeout is ignored for timers
local ticks, fired = 0, false
for id, why, src, ctx in ev() do -- Auto blocks: a timer is present (R13)
  assert(why == "timeout")
  if id == t then
    assert(now() - t0 >= 0.5 - 1e-9, "timer not early")
    assert(src == 0.5 and ctx == "once")
    fired = true
  else
    ticks = ticks + 1
    assert(now() - t0 >= 0.2 * ticks - 1e-9, "tick not early")
    assert(src == 0.2 and ctx == "tick")
    if ticks == 4 then ev:del(T) end
  end
end
assert(fired and ticks == 4, "one-shot fired once, four ticks")
assert(ev:del(t) == nil, "one-shot timer deleted (R1)")

-- R7: a persistent virtual event with a timeout is delivered by timeout,
-- and the clock restarts at each delivery
local v = ev:add("V", nil, "vt", 0.3)
t0 = now()
local n = 0
for id, why, src, ctx in ev() do -- Auto blocks: an event has a timeout
  n = n + 1
  assert(id == v and why == "timeout" and ctx == "vt")
  assert(now() - t0 >= 0.3 * n - 1e-9)
  if n == 2 then break end
end
-- a real trigger is never lost to the timeout
ev:trigger(v)
for id, why in ev(false) do assert(why == "triggered") end
-- R7/R8: set with a timeout of 0 removes it; the loop is then NoWait
assert(ev:set(v, "none", 0) == v)
for id in ev() do error("no timeout left") end
-- set with a timeout restarts the clock
assert(ev:set(v, "again", 0.1) == v)
t0 = now()
for id, why, src, ctx in ev(true) do
  assert(why == "timeout" and ctx == "again" and now() - t0 >= 0.1 - 1e-9)
  ev:del(v)
end
-- a one-shot event delivered by timeout is deleted (R1)
local o = ev:add("v", nil, "o", 0.05)
for id, why in ev(true) do assert(id == o and why == "timeout") end
assert(ev:trigger(o) == nil)
