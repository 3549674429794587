-- R15: bad arguments raise errors and disturb nothing in the set.
local ev = require("event").newset()
local keep = ev:add("V", nil, "keep")
local function fails(want, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error: " .. want)
  assert(tostring(err):find(want, 1, true), tostring(err))
  -- the set is intact
  assert(ev:trigger(keep) == keep)
  local n = 0
  for id, why, src, ctx in ev(false) do n = n + 1; assert(id == keep and ctx == "keep") end
  assert(n == 1)
end
fails([[bad argument #1 to 'add' (unknown event type "q")]], ev.add, ev, "q")
fails([[bad argument #2 to 'add' (timer interval must be > 0, got 0)]], ev.add, ev, "t", 0)
fails([[bad argument #2 to 'add' (timer interval must be > 0, got -2)]], ev.add, ev, "T", -2)
fails([[bad argument #2 to 'add' (invalid file descriptor -1)]], ev.add, ev, "r", -1)
fails([[bad argument #2 to 'add' (initial state (nil or boolean) expected, got string)]], ev.add, ev, "v", "x")
fails([[bad argument #4 to 'add' (negative timeout -1)]], ev.add, ev, "v", nil, nil, -1)
fails([[bad argument #2 to 'add' (]], ev.add, ev, "s", "SIGKILL")
if GOOS == "windows" then
  fails([[bad argument #2 to 'add' (handle (positive integer) expected, got string)]], ev.add, ev, "h", "x")
else
  fails([[bad argument #1 to 'add' (event type "h" is not supported on this platform)]], ev.add, ev, "h", 1)
end
fails([[bad argument #1 to 'del' (event id (number) expected, got string)]], ev.del, ev, "1")
fails([[bad argument #3 to 'set' (negative timeout -1)]], ev.set, ev, keep, "keep", -1)
fails([[calling 'trigger' on bad self]], ev.trigger, {}, keep)
