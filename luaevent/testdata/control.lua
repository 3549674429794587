-- R10 R11 R13: stop and clear from inside a loop, Within.
local ev = require("event").newset()
local v = ev:add("V", true, "v")
local w = ev:add("V", true, "w")
local n = 0
for id in ev(true) do n = n + 1; ev:stop() end
assert(n == 1, "stop ends the loop")
-- R10: pending events stay pending
n = 0
for id, why, src, ctx in ev(false) do n = n + 1; assert(ctx == "w") end
assert(n == 1)
-- stop outside a loop does not prevent the next loop
ev:stop()
ev:trigger(v)
n = 0
for id in ev(false) do n = n + 1 end
assert(n == 1)
-- R11: clear inside a loop ends it and deletes pending events
ev:trigger(v); ev:trigger(w)
n = 0
for id in ev(true) do n = n + 1; ev:clear() end
assert(n == 1)
assert(ev:trigger(v) == nil and ev:trigger(w) == nil, "clear deleted them")
-- the set is usable at once
local x = ev:add("v", true, "x")
assert(x > w)
for id, why, src, ctx in ev(false) do assert(id == x and ctx == "x") end
-- R13: Within waits up to the given seconds, then ends
local y = ev:add("V", nil, "y")
local t0 = now()
for id in ev(0.25) do error("nothing fires") end
assert(now() - t0 >= 0.25 - 1e-9, "waited for the Within time")
-- Within with an event that fires in time
local t = ev:add("t", 0.1, "t")
t0 = now()
for id, why, src, ctx in ev(0.5) do
  assert(id == t and why == "timeout" and ctx == "t", tostring(id) .. " " .. tostring(why) .. " " .. tostring(ctx) .. " t=" .. t)
  ev:del(y)
end
assert(now() - t0 >= 0.1 - 1e-9, "timer not early")
