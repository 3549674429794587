//go:build unix

package luaevent_test

import (
	"syscall"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestLettersSignal(t *testing.T) {
	L := newState(t)
	L.SetGlobal("kill", L.NewFunction(func(L *lua.LState) int {
		sig := syscall.SIGUSR1
		if L.CheckString(1) == "SIGUSR2" {
			sig = syscall.SIGUSR2
		}
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			L.RaiseError("%v", err)
		}
		return 0
	}))
	L.SetGlobal("usr2", lua.LNumber(syscall.SIGUSR2))
	run(t, L, `
		local s = ev:add("s", "SIGUSR1", "one")
		local S = ev:add("S", usr2, "many")
		kill("SIGUSR1")
		local n = 0
		for id, why, src, ctx in ev(5) do
			n = n + 1
			assert(id == s and why == "signal" and src == "SIGUSR1" and ctx == "one")
			break
		end
		assert(n == 1 and ev:trigger(s) == nil and ev:del(s) == nil)
		for round = 1, 2 do
			kill("SIGUSR2")
			local got = false
			for id, why, src, ctx in ev(5) do
				assert(id == S and why == "signal" and src == usr2 and ctx == "many")
				got = true
				break
			end
			assert(got, "signal " .. round)
		end
		assert(ev:del(S) == S)
	`)
}
