package doccheck

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A harness is what a Go fragment of the documentation assumes around it:
// the imports, the declarations before it (the names it uses and does not
// declare) and the code after it (the uses of what it declares), so that
// the fragment compiles as it is written.
type harness struct {
	imports []string
	// before opens the fragment's context: a function whose body the
	// fragment is, with its parameters as the names the fragment uses;
	// empty for a fragment of top-level declarations.
	before string
	// after closes it.
	after string
	// decls are top-level declarations the fragment uses.
	decls string
}

// harnesses are keyed by the first line of their fragment. A whole
// program (one that starts with a package clause or its comment) needs
// none.
var harnesses = map[string]harness{
	"c := evchan.New()": { // README, "A first program" continued: a timer, a reply
		imports: []string{"context", "errors", "fmt", "time", "github.com/evchan/evchan/evchan"},
		before:  "func fragment(ctx context.Context, work func()) error {",
		after:   "}",
	},
	"for e := range c.All(evchan.Block) {": {
		imports: []string{"fmt", "github.com/evchan/evchan/evchan"},
		before:  "func fragment(c *evchan.Container) {",
		after:   "}",
	},
	"s := &serve.Server{": {
		imports: []string{"time", "github.com/evchan/evchan/serve"},
		before:  "func fragment() error {",
		after:   "return err }",
	},
	"L := lua.NewState()": {
		imports: []string{`lua "github.com/yuin/gopher-lua"`, "github.com/evchan/evchan/luaevent"},
		before:  "func fragment() error {",
		after:   "return err }",
	},
	"func TestMySource(t *testing.T) {": {
		imports: []string{"testing", "github.com/evchan/evchan/evchan", "github.com/evchan/evchan/evchantest"},
		decls: `type mySource struct{ evchan.Source }
func (*mySource) poke() {}
func newMySource() *mySource { return nil }`,
	},
	"const wmApp = 0x8000 // WM_APP": {
		imports: []string{"fmt", "github.com/evchan/evchan/evchan", "github.com/evchan/evchan/winhandle"},
		before:  "func fragment(c *evchan.Container, proc, ready uintptr) {",
		after:   "}",
	},
	"c := evchan.New()                  // a container, with its goroutine running": { // CONTRACT.md
		imports: []string{"net", "time", "github.com/evchan/evchan/evchan", "github.com/evchan/evchan/poll"},
		before:  "func fragment(conn net.Conn, client any) {",
		after:   "_, _ = id, err }",
	},
}

// Every Go fragment of the README and of CONTRACT.md compiles against the
// module as it is, inside the harness its first line names: the API the
// documentation shows is the API there is. A new fragment needs a harness
// here, even an empty one.
func TestDocumentationFragmentsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every fragment with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	n := 0
	for _, doc := range []string{"README.md", "CONTRACT.md"} {
		for _, frag := range goFragments(t, filepath.Join(root, doc)) {
			n++
			src, err := wrap(frag)
			if err != nil {
				t.Errorf("%s:%d: %v", doc, frag.line, err)
				continue
			}
			pkg := filepath.Join(dir, "fragments", fmt.Sprint("f", n))
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			// The fragment's place, for the compiler's messages.
			src = fmt.Sprintf("// %s:%d\n%s", doc, frag.line, src)
			if err := os.WriteFile(filepath.Join(pkg, "fragment.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n < 8 {
		t.Fatalf("found %d Go fragments, the README and CONTRACT.md hold at least 8", n)
	}
	// A module of its own that uses this one from here: the go.sum of this
	// module serves, and every module it needs is in the module cache.
	gomod := "module fragments\n\ngo 1.25\n\nrequire github.com/evchan/evchan v0.0.0\n\nreplace github.com/evchan/evchan => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the documentation's Go fragments do not compile (%v):\n%s", err, out)
	}
}

// fragment is one ```go block of a Markdown file.
type fragment struct {
	line int // of its first line
	text string
}

// goFragments returns the ```go blocks of the Markdown file at path.
func goFragments(t *testing.T, path string) []fragment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fragment
	var cur *fragment
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(text) == "```go":
			cur = &fragment{line: line + 1}
		case cur != nil && strings.TrimSpace(text) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += text + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wrap returns the fragment as a Go file: as it is if it is a whole
// program, else inside its harness.
func wrap(f fragment) (string, error) {
	first, _, _ := strings.Cut(f.text, "\n")
	if strings.HasPrefix(first, "package ") || strings.HasPrefix(first, "//") && strings.Contains(f.text, "\npackage ") {
		return f.text, nil
	}
	h, ok := harnesses[strings.TrimSpace(first)]
	if !ok {
		return "", fmt.Errorf("no harness for the Go fragment that begins %q: add one to harnesses (internal/doccheck/snippets_test.go)", first)
	}
	var b strings.Builder
	b.WriteString("package fragment\n\nimport (\n")
	for _, imp := range h.imports {
		if !strings.Contains(imp, `"`) {
			imp = `"` + imp + `"`
		}
		b.WriteString("\t" + imp + "\n")
	}
	b.WriteString(")\n\n")
	b.WriteString(h.decls + "\n\n")
	b.WriteString(h.before + "\n")
	b.WriteString(f.text)
	b.WriteString(h.after + "\n")
	return b.String(), nil
}
