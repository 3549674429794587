-- The draft's associated-object examples: a one-shot timer with a callback
-- and a persistent timer with a table holding a complex object, with the
-- dispatcher the draft leaves out (its "Dispatching strategies" section is
-- omitted). Adapted where garbled: `local obj = {...} = ev:add(...)` is
-- split into two statements. The draft's socket reader example needs
-- seteventmode, which this socket module does not have, so it is left out.
local event = require("event")
local scale = scale or 1
local ev = event.newset()

-- Create a one-shot timer with a callback function.
ev:add("t", 10.0 * scale, function() print("Timer expired!") end)
-- Create a persistent timer with a table that holds a complex object.
local obj = { notify = "acceptor", rehash = true }
local oid = ev:add("T", 6.0 * scale, obj)

-- Dispatch: call functions, handle objects.
local ticks = 0
for id, why, src, ctx in ev() do
  if type(ctx) == "function" then
    ctx()
  else
    ticks = ticks + 1
    print("object event", ctx.notify, ctx.rehash, ticks)
    if ticks == 2 then ev:del(oid) end
  end
end
print("done")
