package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every exported top-level name (function, type, constant, variable) and
// every exported method of an exported type, in the module's packages
// other than commands, examples and internal ones, has a doc comment. A
// name declared in a group may share the group's comment.
func TestExportedNamesHaveDocComments(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var missing []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch {
			case rel == ".":
				return nil
			case strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata",
				rel == "cmd", rel == "examples", rel == "internal", rel == "bench":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, name := range undocumented(f) {
			missing = append(missing, rel+": "+name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("exported without a doc comment: %s", m)
	}
}

// undocumented lists the exported names of f that have no doc comment.
func undocumented(f *ast.File) []string {
	var out []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv != nil {
				recv := receiverType(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue // a method of an unexported type is not API
				}
				out = append(out, recv+"."+d.Name.Name)
				continue
			}
			out = append(out, d.Name.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && d.Doc == nil {
						out = append(out, s.Name.Name)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && s.Doc == nil && d.Doc == nil && s.Comment == nil {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// receiverType names a method's receiver type, without pointer or type
// parameters.
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// moduleRoot is the directory of go.mod, two levels up from this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod two levels up: %v", err)
	}
	return root
}

// The check sees what it is for: exported functions, methods of exported
// types, types, constants and variables without a comment, and nothing
// else.
func TestUndocumentedFindsTheUndocumented(t *testing.T) {
	const src = `package p

func Bare() {}

// Documented is.
func Documented() {}

type T struct{}

func (T) Method()  {}
func (*T) Pointer() {}
func (u) unexported() {}

type u struct{}

func (u) Exported() {}

// Group is documented as a group.
const (
	A = 1
	B = 2
)

var V, w = 1, 2

const C = 3 // C has a line comment.
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(undocumented(f), " ")
	if want := "Bare T T.Method T.Pointer V"; got != want {
		t.Errorf("undocumented = %q, want %q", got, want)
	}
}
