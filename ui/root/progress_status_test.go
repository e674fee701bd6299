package root

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

// A registry read that spans several polls shows how far it has come, not
// an error, until it completes.
func TestStatusLineShowsRegistryReadProgress(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Sources = append(s.Sources, fleet.SourceStatus{Name: "mlflow", Kind: "mlflow",
		Error:    "first read not finished: reading 3,400/10,000 models",
		Progress: &fleet.Progress{Done: 3400, Total: 10000, Unit: "models"}})
	c.Snapshot = &s
	for _, size := range [][2]int{{200, 50}, {120, 30}} {
		m := newRoot(t, "dark", size[0], size[1], Options{Common: c})
		got := view(m)
		assertFits(t, got, size[0], size[1])
		top := ansi.Strip(strings.SplitN(got, "\n", 2)[0])
		if !strings.Contains(top, "mlflow ◌ reading 3,400/10,000 models") {
			t.Errorf("%dx%d: status line %q does not show the progress", size[0], size[1], top)
		}
		if strings.Contains(top, "not finished") || strings.Contains(top, "✖") {
			t.Errorf("%dx%d: status line %q shows the read as a failure", size[0], size[1], top)
		}
	}
	m := newRoot(t, "dark", 40, 10, Options{Common: c})
	assertFits(t, view(m), 40, 10)
}
