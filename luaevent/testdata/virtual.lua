-- R3 R4 R5 R8 R13: coalescing, FIFO order, virtual events, set, NoWait.
local ev = require("event").newset()
local v1 = ev:add("V", nil, 1)
local v2 = ev:add("V", nil, 2)
local v3 = ev:add("V", false, 3)
-- R4: order of becoming pending; R3: triggers coalesce
assert(ev:trigger(v2) == v2)
assert(ev:trigger(v2) == v2)
ev:trigger(v3); ev:trigger(v1); ev:trigger(v3)
local order = {}
for id, why, src, ctx in ev(false) do
  assert(why == "triggered")
  order[#order + 1] = ctx
end
assert(#order == 3 and order[1] == 2 and order[2] == 3 and order[3] == 1, table.concat(order, ","))
-- nothing pending now
for id in ev(false) do error("nothing should be pending") end
-- R5: trigger of a non-virtual event is nil
local t = ev:add("T", 1000)
assert(ev:trigger(t) == nil)
assert(ev:del(t) == t)
-- R5: once
local o = ev:once("hello")
assert(type(o) == "number")
local n = 0
for id, why, src, ctx in ev(false) do
  n = n + 1
  assert(id == o and ctx == "hello" and why == "triggered" and src == true)
end
assert(n == 1)
assert(ev:del(o) == nil, "once is one-shot")
-- R8: set replaces the context
local obj = {}
assert(ev:set(v1, obj) == v1)
ev:trigger(v1)
for id, why, src, ctx in ev(false) do assert(id == v1 and ctx == obj) end
-- R13: a NoWait loop ends even when its body re-triggers
ev:trigger(v1)
local k = 0
for id in ev(false) do k = k + 1; ev:trigger(id) end
assert(k == 1, "NoWait takes only what was pending at the start")
-- and the re-triggered event waits for the next loop
k = 0
for id in ev(false) do k = k + 1 end
assert(k == 1)
-- R13: Auto with no timer and nothing pending is NoWait: ends at once
for id in ev() do error("nothing pending") end
for id in ev(nil) do error("nothing pending") end
ev:clear()
-- R13: the loop ends when the container is empty, even blocking
for id in ev(true) do error("empty") end
