-- R1 R3 R8 R9 R10 R13: what the body of a loop does between the trigger of
-- an event and the step that delivers it. (The C module hands such an
-- event to Lua before it calls into Go, and takes it with its next call:
-- every call here must see the draft's rules as if it had not.)
local ev = require("event").newset()
local v = ev:add("V", nil, "v")
local w = ev:add("V", nil, "w")
local t = ev:add("T", 1000, "t") -- Block loops wait rather than end

local seen = {}
ev:trigger(v)
for id, why, src, ctx in ev(true) do
  assert(why == "triggered", why)
  seen[#seen + 1] = ctx
  local n = #seen
  if n == 1 then
    assert(ev:trigger(v) == v)
    assert(ev:del(v) == v) -- R9: deleted after its trigger, never delivered
    assert(ev:trigger(w) == w)
  elseif n == 2 then
    ev:trigger(w); ev:trigger(w) -- R3: one delivery
    assert(ev:trigger(w) == w)
  elseif n == 3 then
    ev:trigger(w)
    assert(ev:set(w, "w2") == w) -- R8: the new context
  elseif n == 4 then
    ev:trigger(w)
    ev:stop() -- R10: the loop ends, w stays pending
  else
    error("delivered after stop: " .. tostring(ctx))
  end
end
assert(table.concat(seen, ",") == "v,w,w,w2", table.concat(seen, ","))
local after = {}
for id, why, src, ctx in ev(false) do after[#after + 1] = ctx end -- R13
assert(table.concat(after, ",") == "w2", table.concat(after, ","))

-- a loop left by break after a trigger: the event waits for the next loop
ev:trigger(w)
for id in ev(true) do ev:trigger(id); break end
after = {}
for id, why, src, ctx in ev(false) do after[#after + 1] = ctx end
assert(table.concat(after, ",") == "w2", table.concat(after, ","))

-- left by break once the triggered event was delivered: delivered once
local n = 0
ev:trigger(w)
for id in ev(true) do
  n = n + 1
  if n == 2 then break end
  ev:trigger(id)
end
for id in ev(false) do error("delivered twice: " .. tostring(id)) end
assert(ev:del(w) == w)

-- R1: a one-shot virtual event triggered in the body is gone once delivered
local o = ev:add("v", nil, "o")
local k = ev:add("V", true, "k")
local got = {}
for id, why, src, ctx in ev(true) do
  got[#got + 1] = ctx
  if ctx == "k" then ev:trigger(o) else break end
end
assert(table.concat(got, ",") == "k,o", table.concat(got, ","))
assert(ev:trigger(o) == nil and ev:del(o) == nil)

-- a new loop started in the body ends the old one, and the triggered
-- event is the new loop's
got = {}
ev:trigger(k)
for id, why, src, ctx in ev(true) do
  got[#got + 1] = ctx
  ev:trigger(k)
  for id2, why2, src2, ctx2 in ev(false) do got[#got + 1] = ctx2 end
end
assert(table.concat(got, ",") == "k,k", table.concat(got, ","))
assert(ev:del(k) == k and ev:del(t) == t)
