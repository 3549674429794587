-- The draft's ev:trigger examples: a persistent virtual event triggered
-- from elsewhere, and a virtual event with a lifetime (the draft: 1 minute;
-- here scaled). The dispatcher is added.
local event = require("event")
local scale = scale or 1
local ev = event.newset()

-- Add a persistent virtual event.
local vid = ev:add("V", nil, function() print("Triggered!") end)

-- Later, somewhere else, maybe in a callback: Trigger it (once).
ev:trigger(vid)             -- Event will be returned in dispatcher loop.
ev:trigger(vid)             -- still once: triggers coalesce
-- Add a virtual event with a lifetime of 1 minute
local lid = ev:add("v", nil, function() print("Lifetime over!") end, 60.0 * scale)

for id, why, src, fn in ev() do
  print(why)
  fn()
  if id == lid then ev:del(vid) end
end
print("done")
