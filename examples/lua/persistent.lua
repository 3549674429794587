-- The draft's ev:set example: a persistent timer whose callback is
-- replaced later, from a callback. The dispatcher and the end after five
-- expirations are added so that the example terminates.
local event = require("event")
local scale = scale or 1
local ev = event.newset()

-- Add a persistent timer with a callback function.
local n = 0
local tid = ev:add("T", 2.5 * scale, function() print("Timer expired!") end)

-- Later, somewhere else, maybe in a callback: Modify the callback.
ev:once(function()
  ev:set(tid, function() print("Oh no, the timer expired again!") end)
end)
-- the original callback never runs: the once event is delivered first
for id, why, src, fn in ev() do
  fn()
  if id == tid then
    n = n + 1
    if n == 3 then ev:del(tid) end
  end
end
print("done")
