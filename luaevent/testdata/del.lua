-- R9 R2: once del returns, the event is never delivered, even if it was
-- pending; its timer is stopped.
local ev = require("event").newset()
local a = ev:add("V", true, "a")
local b = ev:add("v", true, "b")
local t = ev:add("T", 0.01, "t")
assert(ev:del(a) == a, "del of a pending event")
local got = {}
for id, why, src, ctx in ev(0.05) do
  got[#got + 1] = ctx
  if ctx == "t" then assert(ev:del(t) == t) end
end
assert(#got == 2 and got[1] == "b" and got[2] == "t", table.concat(got, ","))
-- del inside a loop of another pending event
local x = ev:add("V", true, "x")
local y = ev:add("V", true, "y")
local n = 0
for id, why, src, ctx in ev(false) do
  n = n + 1
  assert(ctx == "x")
  assert(ev:del(y) == y)
end
assert(n == 1)
-- a deleted timer never fires again; a deleted one-shot timer never fires
local s = ev:add("t", 0.01, "s")
assert(ev:del(s) == s)
for id in ev(0.1) do assert(id == x, "only x may come") end
assert(ev:del(x) == x)
for id in ev(true) do error("the set is empty") end
