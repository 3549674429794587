-- The draft's API under the real interpreter: return values, IDs, the
-- same bad-argument errors as luaevent's tests (luaevent_test.go,
-- TestBadArguments), each leaving the set intact (R15), and what a closed
-- set does. Run by run.sh with the module on LUA_CPATH.
local event = require("event")
local ev = event.newset()
local lua54 = math.type ~= nil

-- return values (luaevent's TestReturnValues)
assert(type(event.newset) == "function")
assert(type(event.newset(1)) == "userdata", "numobj accepted")
local id = ev:add("V", nil, "ctx", 1)
assert(type(id) == "number" and id == math.floor(id) and id > 0)
if lua54 then assert(math.type(id) == "integer", "ids are integers in Lua 5.4") end
assert(tostring(id) == "1", tostring(id))
assert(ev:set(id, "c2") == id)
assert(ev:set(id, "c3", 2) == id)
assert(ev:set(id, "c3", "no timeout") == id)
assert(ev:trigger(id) == id)
assert(ev:trigger(1.0) == id, "a float naming an id is that id")
local o = ev:once({})
assert(type(o) == "number" and o > id)
assert(select("#", ev:stop()) == 0)
local f, s, init = ev(false)
assert(type(f) == "function" and s == ev and init == nil)
local got = {}
for i in f, s, init do got[#got + 1] = i end
assert(#got == 2 and got[1] == id and got[2] == o)
assert(f() == nil, "an ended iterator keeps returning nil")
assert(ev:del(id) == id)
assert(ev:del(id) == nil)
assert(ev:set(id, 1) == nil and ev:trigger(id) == nil)
assert(select("#", ev:clear()) == 0)
assert(tostring(ev):find("^event set: "))
assert(getmetatable(ev) == "event set")

-- bad arguments
local keep = ev:add("V", nil, "keep")
local tmr = ev:add("T", 1000, "tmr")
local cases = {
  { function() ev:add("q") end, [[bad argument #1 to 'add' (unknown event type "q")]] },
  { function() ev:add("") end, [[bad argument #1 to 'add' (unknown event type "")]] },
  { function() ev:add("vv") end, [[bad argument #1 to 'add' (unknown event type "vv")]] },
  { function() ev:add() end, [[bad argument #1 to 'add' (event type (string) expected, got no value)]] },
  { function() ev:add(1, nil) end, [[bad argument #1 to 'add' (event type (string) expected, got number)]] },
  { function() ev:add("v", 1) end, [[bad argument #2 to 'add' (initial state (nil or boolean) expected, got number)]] },
  { function() ev:add("t", 0) end, [[bad argument #2 to 'add' (timer interval must be > 0, got 0)]] },
  { function() ev:add("T", -1) end, [[bad argument #2 to 'add' (timer interval must be > 0, got -1)]] },
  { function() ev:add("t", "x") end, [[bad argument #2 to 'add' (timer interval (number of seconds) expected, got string)]] },
  { function() ev:add("t", 0/0) end, [[bad argument #2 to 'add' (timer interval must be > 0]] },
  { function() ev:add("t", 1e300) end, [[bad argument #2 to 'add' (timer interval 1e+300 seconds is too long)]] },
  { function() ev:add("r", -1) end, [[bad argument #2 to 'add' (invalid file descriptor -1)]] },
  { function() ev:add("r", 1.5) end, [[bad argument #2 to 'add' (invalid file descriptor 1.5)]] },
  { function() ev:add("r") end, [[bad argument #2 to 'add' (file descriptor (integer or object with getfd) expected, got no value)]] },
  { function() ev:add("w", {}) end, [[bad argument #2 to 'add' (file descriptor expected, got table without getfd())]] },
  { function() ev:add("w", { getfd = function() return "x" end }) end, [[bad argument #2 to 'add' (getfd() returned string, not a file descriptor)]] },
  { function() ev:add("w", { getfd = function() error("boom") end }) end, [[boom]] },
  { function() ev:add("w", setmetatable({}, { __index = function() error("index boom") end })) end, [[index boom]] },
  { function() ev:add("s", "SIGNOPE") end, [[bad argument #2 to 'add' (]] },
  { function() ev:add("s", "SIGKILL") end, [[bad argument #2 to 'add' (]] },
  { function() ev:add("S", "SIGSTOP") end, [[bad argument #2 to 'add' (]] },
  { function() ev:add("S", 99999) end, [[bad argument #2 to 'add' (]] },
  { function() ev:add("r", 99999) end, [[bad argument #2 to 'add' (]] },
  { function() ev:add("x", 2^40) end, [[bad argument #2 to 'add' (invalid file descriptor]] },
  { function() ev:add("s", {}) end, [[bad argument #2 to 'add' (signal name or number expected, got table)]] },
  { function() ev:add("v", nil, nil, -1) end, [[bad argument #4 to 'add' (negative timeout -1)]] },
  { function() ev:add("v", nil, nil, 0/0) end, [[bad argument #4 to 'add' (NaN seconds)]] },
  { function() ev:add("v", nil, nil, 1e300) end, [[bad argument #4 to 'add' (1e+300 seconds is too long)]] },
  { function() ev:add("v", nil, nil, 1/0) end, [[bad argument #4 to 'add' (+Inf seconds is too long)]] },
  { function() ev:set() end, [[bad argument #1 to 'set' (event id (number) expected, got no value)]] },
  { function() ev:set("1") end, [[bad argument #1 to 'set' (event id (number) expected, got string)]] },
  { function() ev:set(keep, 1, -2) end, [[bad argument #3 to 'set' (negative timeout -2)]] },
  { function() ev:trigger({}) end, [[bad argument #1 to 'trigger' (event id (number) expected, got table)]] },
  { function() ev:del(nil) end, [[bad argument #1 to 'del' (event id (number) expected, got no value)]] },
  { function() ev.add(1, "v") end, [[calling 'add' on bad self (event set expected, got number)]] },
  { function() ev.stop({}) end, [[calling 'stop' on bad self]] },
  { function() ev.clear() end, [[calling 'clear' on bad self]] },
  { function() ev.once("x") end, [[calling 'once' on bad self]] },
  { function() ev.add(io.stdout, "v") end, [[calling 'add' on bad self (event set expected, got userdata)]] },
  { function() ev("yes") end, [[bad argument #1 to 'event set call' (block (boolean, number or nil) expected, got string)]] },
  { function() ev(0/0) end, [[NaN seconds]] },
  { function() event.newset("x") end, [[bad argument #1 to 'newset' (number expected, got string)]] },
  -- (gopher-lua's setmetatable takes a userdata and refuses with "cannot
  -- change a protected metatable"; the real one takes tables only)
  { function() setmetatable(ev, {}) end, [[bad argument #1 to 'setmetatable' (table expected]] },
  { function() ev:add("h", 1) end, [[bad argument #1 to 'add' (event type "h" is not supported on this platform)]] },
  { function() ev:add("M") end, [[bad argument #1 to 'add' (event type "M" is not supported on this platform)]] },
}
if lua54 then
  -- Lua 5.4 integers are printed as integers
  cases[#cases + 1] = { function() ev:add("T", 9223372037) end, [[bad argument #2 to 'add' (timer interval 9223372037 seconds is too long)]] }
  cases[#cases + 1] = { function() ev:add("r", math.tointeger(2 ^ 40)) end, [[bad argument #2 to 'add' (invalid file descriptor 1099511627776)]] }
  cases[#cases + 1] = { function() ev:add("v", nil, nil, math.mininteger) end, [[bad argument #4 to 'add' (negative timeout -9223372036854775808)]] }
end
for i, c in ipairs(cases) do
  local ok, err = pcall(c[1])
  assert(not ok, "case " .. i .. ": no error, want " .. c[2])
  assert(tostring(err):find(c[2], 1, true), "case " .. i .. ":\n got " .. tostring(err) .. "\nwant " .. c[2])
  -- the set is intact
  assert(ev:trigger(keep) == keep, "keep survives")
  local n = 0
  for i2, why, src, ctx in ev(false) do n = n + 1; assert(i2 == keep and ctx == "keep") end
  assert(n == 1, "only keep was pending")
  assert(ev:set(tmr, "tmr") == tmr)
end
ev:clear()

-- Lua errors from the module carry the caller's position, as luaL_error's do
local ok, err = pcall(function() ev:add("q") end)
assert(not ok and err:find("^[^:]+:%d+: bad argument #1 to 'add'"), err)

-- an iterator called from inside a getfd() the module is calling takes
-- its loop's next step there, as anywhere
local nested = ev:add("v", true, "nested")
local it = ev(false)
local got
ok, err = pcall(ev.add, ev, "r", { getfd = function() got = select(4, it()); return "no descriptor" end })
assert(not ok and err:find("bad argument #2 to 'add'"), err)
assert(got == "nested", tostring(got))
assert(it() == nil and ev:del(nested) == nil, "the one-shot event was delivered")

-- huge timeouts (luaevent's TestHugeSeconds, in part)
assert(ev:add("v", nil, "to", 9.2e9) > 0)
assert(ev:add("T", 9223372036, "T") > 0)
ok, err = pcall(ev.add, ev, "v", nil, nil, math.huge)
assert(not ok and err:find("seconds is too long"), err)
ev:clear()

-- two sets are independent: ids are per set
local a, b = event.newset(), event.newset()
local ia, ib = a:add("v", true, "a"), b:add("v", true, "b")
assert(ia == 1 and ib == 1)
for i2, why, src, ctx in a(false) do assert(ctx == "a") end
for i2, why, src, ctx in b(false) do assert(ctx == "b") end

-- a collected set closes its container; a set used after __gc (resurrected
-- by another finalizer) behaves as closed
local resurrected
do
  local dead = event.newset()
  dead:add("T", 100, "timer")
  local holder = setmetatable({}, { __gc = function() resurrected = dead end })
  dead = nil
  holder = nil
end
collectgarbage(); collectgarbage()
if resurrected then -- Lua 5.4 runs the holder's __gc after the set's
  assert(resurrected:trigger(1) == nil and resurrected:del(1) == nil and resurrected:set(1, 1) == nil)
  for _ in resurrected(true) do error("closed") end
  local ok2, e2 = pcall(resurrected.add, resurrected, "v")
  assert(not ok2 and e2:find("add: the event set is closed"), e2)
  ok2, e2 = pcall(resurrected.once, resurrected, 1)
  assert(not ok2 and e2:find("once: the event set is closed"), e2)
  ok2, e2 = pcall(resurrected.add, resurrected, "q")
  assert(not ok2 and e2:find("unknown event type"), e2)
end
print("api ok")
