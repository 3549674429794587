module github.com/evchan/evchan/luamod

go 1.25.0

require github.com/evchan/evchan v0.0.0

require golang.org/x/sys v0.47.0 // indirect

replace github.com/evchan/evchan => ../
