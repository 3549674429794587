-- The draft's simple example ("Here is a simple example"). Timer intervals
-- are multiplied by the global scale, which cmd/luaevent sets from
-- LUAEVENT_SCALE (1 by default), so that tests can run it fast.
--
-- Adapted where the draft's text is garbled: the old forms of newset and
-- of the loop header it shows next to the new ones are dropped (new forms
-- kept), `end`s are added, and the empty `if id == tid then` branch
-- triggers the virtual event (otherwise it would never fire). Like the
-- draft's, this loop never ends: stop it with Ctrl-C.
local event = require("event")
local socket = require("socket")
local scale = scale or 1

-- Create a new event container.
local ev = event.newset()

-- Add some events to the container.
ev:add("t", 2.5 * scale, "One-shot timer expired")
local tid = ev:add("T", 5.0 * scale, "Periodic timer triggered")
local vid = ev:add("v", nil, "Virtual event triggered")

-- Process all triggered events in an infinite loop.
for id, why, src, str in ev(true) do
  -- Print the current time and the associated object.
  print(socket.gettime(), str)
  if id == tid then
    ev:trigger(vid)
  elseif id == vid then
    ev:add("t", 1.0 * scale, "One second later ...")
  end
end
