package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPatternsCompileLazily reads the package's source: no package
// variable compiles a regular expression at start-up (regexp.MustCompile
// there costs every fluxtf process, whatever its command), and every
// lazyRE pattern compiles, so that none can panic on its first use.
func TestPatternsCompileLazily(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	lazy := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			ast.Inspect(gd, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch fn := call.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "regexp" && strings.HasPrefix(fn.Sel.Name, "MustCompile") {
						t.Errorf("%s: a package variable compiles a pattern at start-up; use lazyRE", fset.Position(call.Pos()))
					}
				case *ast.Ident:
					if fn.Name != "lazyRE" || len(call.Args) != 1 {
						return true
					}
					lit, ok := call.Args[0].(*ast.BasicLit)
					if !ok {
						t.Errorf("%s: lazyRE of a non-literal pattern", fset.Position(call.Pos()))
						return true
					}
					expr, err := strconv.Unquote(lit.Value)
					if err == nil {
						_, err = regexp.Compile(expr)
					}
					if err != nil {
						t.Errorf("%s: %v", fset.Position(call.Pos()), err)
					}
					lazy++
				}
				return true
			})
		}
	}
	if lazy < 40 {
		t.Errorf("found %d lazyRE patterns in package variables, expected the package's 45 or so: is the test reading the right files?", lazy)
	}
}
