package fleetscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/uitest"
)

// estimatedScreen is the fleet screen over a fleet whose credit-risk
// quality is estimated without labels.
func estimatedScreen(t testing.TB, w, h int) *Model {
	t.Helper()
	return screenOver(t, uitest.EstimatedSnapshot(), w, h)
}

func TestViewGoldenEstimated(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("fleet_estimated_dark_%dx%d", sz[0], sz[1])
		m := estimatedScreen(t, sz[0], sz[1])
		v := m.View()
		checkSize(t, v, sz[0], sz[1])
		uitest.Golden(t, name, v)
	}
}

// An estimate reads as one (~), keeps its delta to the baseline, and is
// marked when its calibration is unreliable; a measured quality is not.
func TestEstimatedQualityCell(t *testing.T) {
	m := estimatedScreen(t, 200, 50)
	for _, tc := range []struct{ line, want string }{
		{"v11 stable", "~auc .86 ▼.02"},
		{"v12 canary", "~auc .89? ▼.02"},
		{"payments-fraud", "auc .81 ▼.07"},
	} {
		if l := lineOf(m, tc.line); !strings.Contains(l, tc.want) {
			t.Errorf("%s: want %q in %q", tc.line, tc.want, l)
		}
	}
	if l := lineOf(m, "payments-fraud"); strings.Contains(l, "~") {
		t.Errorf("measured quality drawn as estimated: %q", l)
	}
	// "~" is ASCII: the ASCII glyph set draws the same mark.
	m.c.Glyphs = themes.ASCII
	m.SetSize(200, 50)
	if l := ansi.Strip(lineOf(m, "v11 stable")); !strings.Contains(l, "~auc .86 v.02") {
		t.Errorf("ASCII: want ~auc .86 v.02 in %q", l)
	}
}
