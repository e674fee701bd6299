package fleetscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// objectivesScreen is the fleet screen over a fleet judged against
// service-level objectives (uitest.ObjectivesSnapshot).
func objectivesScreen(t testing.TB, w, h int) *Model {
	t.Helper()
	return screenOver(t, uitest.ObjectivesSnapshot(), w, h)
}

func TestViewGoldenObjectives(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("fleet_objectives_dark_%dx%d", sz[0], sz[1])
		m := objectivesScreen(t, sz[0], sz[1])
		v := m.View()
		checkSize(t, v, sz[0], sz[1])
		uitest.Golden(t, name, v)
	}
}

// The WHY column says a model went silent on its first line (a model's
// finding), and a burn rate on the version that burns.
func TestWhyNamesTheObjectives(t *testing.T) {
	m := objectivesScreen(t, 200, 50)
	for _, tc := range []struct{ line, want string }{
		{"search-ranker", "silent: 6.8k req/s, 8% of last week's 90k req/s"},
		{"churn-predictor", "error budget burning 9× (6h) and 9× (30m)"},
		{"image-tagger", "error rate 9.1% ≥ 5.0% +2"},
	} {
		if l := lineOf(m, tc.line); !strings.Contains(l, tc.want) {
			t.Errorf("%s: want %q in %q", tc.line, tc.want, l)
		}
	}
}
