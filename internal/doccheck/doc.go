// Package doccheck holds the check that every exported name of the module
// has a doc comment: a user reads the API on pkg.go.dev, where an exported
// name without one is a question with no answer. It has no API; its test
// is the check, run by `go test ./...` in CI.
package doccheck
