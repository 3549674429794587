package main

import (
	"os"
	"strings"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// readmeHeading is the README's heading of the first program; the program
// is the first ```go block below it, before the next heading of its level.
const readmeHeading = "## A first program"

// The README's first program is this package's main.go, byte for byte, so
// that `go vet ./...` and `go test ./...` compile, vet and run what a
// reader copies.
func TestREADMEShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	block, missing := firstGoBlock(string(readme), readmeHeading)
	if missing != "" {
		t.Fatalf("README.md: %s", missing)
	}
	if block == string(src) {
		return
	}
	got, want := strings.Split(block, "\n"), strings.Split(string(src), "\n")
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w || i >= len(got) || i >= len(want) {
			t.Fatalf("README.md's program under %q differs from main.go at line %d:\nREADME:  %q\nmain.go: %q\n(copy main.go into the README's block)", readmeHeading, i+1, g, w)
		}
	}
}

// firstGoBlock returns the contents of the first ```go block under the
// line heading in md, up to and including its last newline, or a message
// saying what is missing.
func firstGoBlock(md, heading string) (block, missing string) {
	start := strings.Index("\n"+md, "\n"+heading+"\n")
	if start < 0 {
		return "", "no heading " + heading
	}
	section := md[start+len(heading)+1:]
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next+1]
	}
	const open, end = "\n```go\n", "\n```\n"
	i := strings.Index("\n"+section, open)
	if i < 0 {
		return "", "no ```go block under " + heading
	}
	body := section[i+len(open)-1:]
	j := strings.Index("\n"+body, end)
	if j < 0 {
		return "", "the ```go block under " + heading + " does not end"
	}
	return body[:j], ""
}

// The program prints the timer's ticks and the virtual event at their
// times, then ends by itself (R5, R6). On the bubble's clock the output is
// exact.
func TestRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		if err := run(&out); err != nil {
			t.Fatal(err)
		}
		const want = `200ms  timeout    tick
400ms  timeout    tick
500ms  triggered  work done
`
		if out.String() != want {
			t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
		}
	})
}

// The block finder takes the first go block of the heading's section, and
// no other.
func TestFirstGoBlock(t *testing.T) {
	md := "# T\n\n## A first program\n\n```sh\ngo get x\n```\n\n```go\npackage main\n\nfunc main() {}\n```\n\n```go\nsecond\n```\n\n## Next\n"
	got, missing := firstGoBlock(md, "## A first program")
	if missing != "" || got != "package main\n\nfunc main() {}\n" {
		t.Errorf("firstGoBlock = %q, %q", got, missing)
	}
	if _, missing := firstGoBlock("## A first program\n\ntext\n\n## Next\n\n```go\nx\n```\n", "## A first program"); missing == "" {
		t.Error("a block under the next heading was taken")
	}
	if _, missing := firstGoBlock("## A first programme\n```go\nx\n```\n", "## A first program"); missing == "" {
		t.Error("a longer heading was taken")
	}
}
