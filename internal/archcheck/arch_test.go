package archcheck

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/mltop/mltop"

// pkg is one package of the module as its non-test files declare it.
type pkg struct {
	dir     string // relative to the repository root, slash-separated
	name    string
	imports map[string]bool // the module's own packages, by dir
}

// packages reads every folder holding Go files (tests included: a folder
// of tests only is a package too).
func packages(t *testing.T) map[string]*pkg {
	t.Helper()
	root := filepath.Join("..", "..")
	out := map[string]*pkg{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || n == "dist" || (strings.HasPrefix(n, ".") && p != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		dir := filepath.ToSlash(rel)
		pk := out[dir]
		if pk == nil {
			pk = &pkg{dir: dir, imports: map[string]bool{}}
			out[dir] = pk
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		test := strings.HasSuffix(p, "_test.go")
		if name := f.Name.Name; !strings.HasSuffix(name, "_test") && (pk.name == "" || !test) {
			pk.name = name
		}
		if test {
			return nil
		}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if rest, ok := strings.CutPrefix(ip, module+"/"); ok {
				pk.imports[rest] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("found only %d packages under %s", len(out), root)
	}
	return out
}

// TestEveryPackageIsInTheArchitecture fails when a package is missing from
// docs/architecture.md's package table, or the table names one that is gone.
func TestEveryPackageIsInTheArchitecture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_/]+)` \\|")
	inDoc := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		inDoc[m[1]] = true
	}
	pkgs := packages(t)
	for dir := range pkgs {
		if !inDoc[dir] {
			t.Errorf("package %s is not in docs/architecture.md's package table", dir)
		}
	}
	for dir := range inDoc {
		if pkgs[dir] == nil {
			t.Errorf("docs/architecture.md lists %s, which is not a package", dir)
		}
	}
}

// TestPackageNamesAreUnique: a name says one thing in the whole module, so
// no import needs an alias to avoid a clash.
func TestPackageNamesAreUnique(t *testing.T) {
	byName := map[string][]string{}
	for dir, p := range packages(t) {
		if p.name != "main" {
			byName[p.name] = append(byName[p.name], dir)
		}
	}
	for name, dirs := range byName {
		if len(dirs) > 1 {
			sort.Strings(dirs)
			t.Errorf("package name %q is used by %s", name, strings.Join(dirs, ", "))
		}
	}
}

// forbidden are the import rules of docs/architecture.md: a package whose
// folder matches from may not import one whose folder matches to.
var forbidden = []struct{ from, to, why string }{
	{"ui/*", "sources/*", "the UI does no I/O: it reads snapshots and asks for actions through interfaces"},
	{"ui/*", "internal/poll", "the UI reads snapshots, it does not poll"},
	{"ui/*", "internal/wiring", "wiring builds the UI's services, not the other way round"},
	{"sources/*", "ui/*", "sources know nothing of the UI"},
	{"sources/*", "internal/poll", "the poller calls sources, never the reverse"},
	{"sources/*", "internal/judge", "sources report what servers said; judging is one step later"},
	{"internal/fleet", "*", "the domain types are pure data"},
	{"internal/drift", "*", "drift statistics are pure functions"},
	{"internal/estimate", "*", "the quality estimate is pure functions"},
	{"internal/judge", "sources/*", "judging works on the merged snapshot only"},
	{"internal/judge", "ui/*", "judging works on the merged snapshot only"},
	{"internal/merge", "ui/*", "the merge builds snapshots, it never draws"},
	{"internal/merge", "internal/judge", "the merge builds what the judge then judges, never the reverse"},
	{"themes", "ui/*", "themes are palettes, below the screens"},
	{"internal/demo", "ui/*", "the demo fleet is a world to watch, not a screen"},
	{"internal/actions", "ui/*", "actions run the same from the CLI, the dashboard and SSH"},
	{"*", "cmd/*", "commands are the top; nothing imports them"},
}

func matches(pattern, dir string) bool {
	if pattern == "*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return dir == prefix || strings.HasPrefix(dir, prefix+"/")
	}
	ok, _ := path.Match(pattern, dir)
	return ok
}

func TestForbiddenImports(t *testing.T) {
	for dir, p := range packages(t) {
		for im := range p.imports {
			for _, r := range forbidden {
				if matches(r.from, dir) && matches(r.to, im) {
					t.Errorf("%s imports %s: %s", dir, im, r.why)
				}
			}
		}
	}
}
