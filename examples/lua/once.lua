-- The draft's ev:once example. Adapted where garbled: the second callback's
-- print lacked its time argument; socket.gettime() is supplied.
local event = require("event")
local socket = require("socket")
local ev = event.newset()

-- Arrange for calling two functions from the dispatcher loop.
ev:once(function() print("Hello world!") end)
ev:once(function() print("The current time is:", socket.gettime()) end)

for id, why, src, fn in ev() do fn() end
print("done")
