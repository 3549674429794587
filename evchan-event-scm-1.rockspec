-- The LuaEvents draft's "event" module for Lua 5.4 and LuaJIT, from the
-- evchan repository (luamod/). Built with Go (go build -buildmode=c-shared),
-- which must be installed: https://go.dev/dl/
--
--   luarocks --lua-version 5.4 make
--   luarocks --lua-version 5.1 make LUA_INCDIR=/usr/include/luajit-2.1   # for LuaJIT
rockspec_format = "3.0"
package = "evchan-event"
version = "scm-1"
source = {
   url = "git+https://github.com/evchan/evchan.git",
}
description = {
   summary = "The LuaEvents draft's event API (event.newset, ev:add, ev(block)) on evchan",
   detailed = [[
      require("event") gives the API of "LuaEvents: Event support for the Lua
      language" (Mike Pall and Diego Nehab's event mechanism for LuaSocket):
      virtual events, timers, descriptors (LuaSocket objects, integer
      descriptors, io files) and signals in one set, read with
      for id, reason, src, ctx in ev(block). A C module built with cgo over
      the evchan Go library; Go is needed to build it.
   ]],
   homepage = "https://github.com/evchan/evchan",
   license = "MIT",
   labels = { "event", "luasocket", "timer", "signal" },
}
dependencies = {
   "lua >= 5.1, < 5.5",
}
build = {
   type = "command",
   build_command = [[sh luamod/build.sh --incdir "$(LUA_INCDIR)" --out luamod/build/rock/event.so]],
   install = {
      lib = { event = "luamod/build/rock/event.so" },
   },
}
