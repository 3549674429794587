-- Random calls with random arguments, bad ones mostly: every call either
-- works or raises a Lua error; the interpreter never crashes, and the set
-- stays intact (R15): at the end it still adds and delivers events. The
-- seed is the first argument (default: the time), printed first so that
-- a failure can be repeated.
local event = require("event")
local socket = require("socket")
local seed = tonumber(arg and arg[1]) or os.time()
local rounds = tonumber(arg and arg[2]) or 20000
print("seed", seed)
math.randomseed(seed)

local server = assert(socket.bind("127.0.0.1", 0))
local file = assert(io.open("/etc/hostname"))
local closed = assert(io.open("/etc/hostname")); closed:close()
local ev = event.newset()
local other = event.newset()
local unpack = table.unpack or unpack
local NIL = {} -- stands for nil in the pool
local pool = {
  NIL, true, false, 0, 1, 2, 3, -1, 0.001, 1.5, 1000, 1e300, 0 / 0, 1 / 0, -1 / 0,
  math.huge, -math.huge, 2 ^ 53, 2 ^ 63, -2 ^ 63,
  "v", "V", "t", "T", "r", "R", "w", "W", "x", "X", "s", "S", "h", "H", "m", "M",
  "q", "", "vv", "SIGKILL", "SIGUSR1", "USR2", "SIGNOPE", "1", "\0",
  {}, { getfd = function() return server:getfd() end }, { getfd = function() return -3 end },
  { getfd = function() error("getfd fails") end }, { getfd = function() return {} end },
  { getfd = "not a function" }, setmetatable({}, { __index = function() error("index fails") end }),
  server, file, closed, io.stdout, print, coroutine.create(function() end), ev, other,
}
if math.type then
  for _, v in ipairs({ math.maxinteger, math.mininteger, math.tointeger(2 ^ 40), math.tointeger(-2 ^ 31) }) do pool[#pool + 1] = v end
end

local function pick()
  local v = pool[math.random(1, #pool)]
  if v == NIL then return nil end
  return v
end

local names = { "add", "set", "trigger", "once", "del", "stop", "clear" }
local calls, errors = 0, 0
for round = 1, rounds do
  local which = math.random(1, #names + 3)
  local ok, err
  local n = math.random(0, 5)
  local args = {}
  for i = 1, n do args[i] = pick() end
  if which <= #names then
    local self = (math.random(1, 10) == 1) and pick() or ev
    ok, err = pcall(ev[names[which]], self, unpack(args, 1, n))
  elseif which == #names + 1 then
    -- a loop that cannot block for long
    local mode = ({ false, 0, 0.001, -1, "yes", {}, 0 / 0 })[math.random(1, 7)]
    ok, err = pcall(function()
      local k = 0
      for id, why, src, ctx in ev(mode) do
        assert(type(id) == "number" and type(why) == "string")
        k = k + 1
        if k > 100 then break end
        if math.random(1, 4) == 1 then ev:stop() end
      end
    end)
  elseif which == #names + 2 then
    ok, err = pcall(event.newset, pick())
  else
    -- an iterator called after the loop it belongs to was replaced
    local it = ev(false)
    ev(false)
    ok, err = pcall(it)
    assert(ok and err == nil, "a replaced iterator returns nil")
  end
  calls = calls + 1
  if not ok then
    errors = errors + 1
    assert(type(err) == "string", "errors are strings: " .. tostring(err))
  end
  if round % 1000 == 0 then ev:clear(); collectgarbage() end
end
ev:clear()
local id = ev:once("ok")
local n = 0
for i, why, src, ctx in ev(false) do n = n + 1; assert(i == id and ctx == "ok") end
assert(n == 1, "the set still works")
print(string.format("fuzz ok: %d calls, %d Lua errors", calls, errors))
