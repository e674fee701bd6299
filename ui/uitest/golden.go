package uitest

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// Sizes are the terminal sizes every screen has golden files for.
var Sizes = [][2]int{{80, 24}, {120, 40}, {200, 50}}

// Golden compares a screen's View, ANSI codes included, with its golden
// file, in a subtest named name (CASE-THEME-WxH): the file is
// testdata/TEST/CASE-THEME-WxH.golden. `go test -update` rewrites it.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		t.Helper()
		golden.RequireEqual(t, got)
	})
}
