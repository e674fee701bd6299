// Package golden compares a screen's View with a golden file kept under
// testdata, or rewrites the file when the tests run with -update. It is
// its own package so that only tests that use golden files get the flag.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Sizes are the terminal sizes every screen has golden files for.
var Sizes = [][2]int{{80, 24}, {120, 40}, {200, 50}}

// Check fails unless got is testdata/name.golden byte for byte (ANSI
// codes included); with -update it writes the file instead.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (run with -update after checking)\nwant:\n%s\ngot:\n%s", path, ansi.Strip(string(want)), ansi.Strip(got))
	}
}
