package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrintsGoThroughTermsafe keeps the commands' output structural:
// nothing in cmd/mltop or internal/report prints to a command's stdout
// or stderr (or os.Stdout, os.Stderr) with fmt or io directly, nor
// encodes JSON there with a bare json.Encoder. termsafe.Fprintf,
// Fprintln, WriteText and NewJSONEncoder clean each field (or escape
// it); run's termsafe.Writer is the net under them all.
func TestPrintsGoThroughTermsafe(t *testing.T) {
	writers := map[string]bool{"stdout": true, "stderr": true, "w": true, "os.Stdout": true, "os.Stderr": true}
	banned := map[string]bool{"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true, "io.WriteString": true, "json.NewEncoder": true}
	var files []string
	for _, dir := range []string{".", filepath.Join("..", "..", "internal", "report")} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := exprName(call.Fun)
			switch {
			case fn == "fmt.Print" || fn == "fmt.Printf" || fn == "fmt.Println":
				t.Errorf("%s: %s writes to os.Stdout past the terminal filter; use termsafe.Fprintf(stdout, ...)", fset.Position(call.Pos()), fn)
			case banned[fn] && len(call.Args) > 0 && writers[exprName(call.Args[0])]:
				t.Errorf("%s: %s(%s, ...) prints fields uncleaned; use termsafe.Fprintf, WriteText or NewJSONEncoder",
					fset.Position(call.Pos()), fn, exprName(call.Args[0]))
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}

// exprName is "pkg.Name" or "name" for a selector or identifier.
func exprName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name + "." + x.Sel.Name
		}
	}
	return ""
}
