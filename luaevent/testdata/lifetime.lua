-- R1 R2: one-shot events go at delivery, persistent ones stay; ids are
-- unique, never reused, and unknown ids give nil.
local event = require("event")
local ev = event.newset()
local a = ev:add("v", true, "a")
assert(type(a) == "number" and a > 0, "id is a positive number")
local b = ev:add("V", true, "b")
assert(b ~= a, "ids differ")
local seen = {}
for id, why, src, ctx in ev(false) do seen[#seen + 1] = { id, why, src, ctx } end
assert(#seen == 2, "two events delivered")
assert(seen[1][1] == a and seen[1][2] == "triggered" and seen[1][3] == true and seen[1][4] == "a")
assert(seen[2][1] == b and seen[2][4] == "b")
-- R1: a is gone, b stays
assert(ev:trigger(a) == nil, "one-shot deleted at delivery")
assert(ev:set(a, "x") == nil)
assert(ev:del(a) == nil)
assert(ev:trigger(b) == b, "persistent stays")
assert(ev:del(b) == b)
assert(ev:del(b) == nil, "second del gives nil")
assert(ev:trigger(b) == nil)
-- R2: new ids are never reused; impossible ids are just invalid
local c = ev:add("v")
assert(c > b, "ids not reused")
for _, bad in ipairs({ 0, -1, 1.5, 1e300, c + 1 }) do
  assert(ev:trigger(bad) == nil and ev:del(bad) == nil and ev:set(bad, 1) == nil)
end
assert(ev:del(c) == c)
-- a one-shot delivered by timeout is deleted too (R1, R7) - see timers.lua
