module github.com/evchan/evchan

go 1.25.0

require (
	github.com/yuin/gopher-lua v1.1.2 // the Lua binding (luaevent, cmd/luaevent) only
	go.uber.org/goleak v1.3.0
	golang.org/x/sys v0.47.0
	pgregory.net/rapid v1.3.0
)
