-- The draft's ev:del example: a persistent timer printing a counter every
-- second, deleted later from a callback. Adapted where garbled: the draft
-- writes ev:del("t", tid), the old form; the new one takes only the id.
local event = require("event")
local scale = scale or 1
local ev = event.newset()

-- Add a persistent timer that prints a counter every second.
local cnt = 0
local tid = ev:add("T", 1.0 * scale, function() cnt = cnt + 1; print(cnt) end)

-- Later, somewhere else, maybe in a callback: Delete the timer to stop it.
ev:add("t", 3.5 * scale, function() print("deleted", ev:del(tid) == tid) end)

for id, why, src, fn in ev() do fn() end
print("done")
