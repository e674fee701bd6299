package driftscreen

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
)

func TestHeatLevelAtBoundaries(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want int
	}{
		{math.NaN(), -1}, {0, 0}, {0.4999, 0}, {0.5, 1}, {0.9999, 1}, {1, 2}, {1.9999, 2}, {2, 3}, {2.9999, 3}, {3, 4}, {1e9, 4},
	} {
		if got := heatLevel(tc.v); got != tc.want {
			t.Errorf("heatLevel(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// The cell value is score ÷ threshold for distances and threshold ÷ p
// for p-value methods, so the threshold is the same shade for both.
func TestHeatCellValuesFromSeries(t *testing.T) {
	for _, tc := range []struct {
		method    string
		threshold float64
		score     float64
		want      int
	}{
		{"psi", 0.1, 0.1, 2},    // at the threshold: drift
		{"psi", 0.1, 0.0999, 1}, // just under
		{"psi", 0.1, 0.05, 1},
		{"psi", 0.1, 0.0499, 0},
		{"psi", 0.1, 0.3, 4},
		{"ks", 0.05, 0.05, 1},    // p at the threshold is not below it: no drift
		{"ks", 0.05, 0.1, 1},     // severity 0.5
		{"ks", 0.05, 0.025, 3},   // severity 2
		{"ks", 0.05, 0, 4},       // p = 0
		{"chisquare", 0, 0.5, 0}, // default threshold .05: severity 0.1
		{"jensenshannon", 0.1, math.NaN(), -1},
	} {
		sev := judge.SeriesSeverity(fleet.DriftSeries{Method: tc.method, Threshold: tc.threshold, Scores: []float64{tc.score}})
		if got := heatLevel(sev[0]); got != tc.want {
			t.Errorf("%s %v vs %v: level %d (severity %v), want %d", tc.method, tc.score, tc.threshold, got, sev[0], tc.want)
		}
		if !math.IsNaN(tc.score) && tc.threshold > 0 && drift.Drifted(tc.method, tc.score, tc.threshold) != (heatLevel(sev[0]) >= 2) {
			t.Errorf("%s %v: drifted %v but drawn at level %d", tc.method, tc.score, drift.Drifted(tc.method, tc.score, tc.threshold), heatLevel(sev[0]))
		}
	}
}

func TestHeatRowGlyphsAndGaps(t *testing.T) {
	th, _ := themes.ByName("dark", true)
	p := painter{th: th, g: themes.Unicode}
	got := ansi.Strip(p.heatRow([]float64{0.1, 0.7, math.NaN(), 1.5, 2.5, 4}, 6))
	if got != "·░ ▒▓█" {
		t.Errorf("heat row %q, want %q", got, "·░ ▒▓█")
	}
	// More steps than columns keep each column's worst; fewer are stretched.
	if got := ansi.Strip(p.heatRow([]float64{0.1, 4, 0.1, 0.1}, 2)); got != "█·" {
		t.Errorf("shrunk row %q, want %q", got, "█·")
	}
	if got := ansi.Strip(p.heatRow([]float64{0.1, 4}, 4)); got != "··██" {
		t.Errorf("stretched row %q, want %q", got, "··██")
	}
	p.ascii = true
	if got := ansi.Strip(p.heatRow([]float64{0.1, 0.7, 1.5, 2.5, 4}, 5)); got != ".-+*#" {
		t.Errorf("ASCII heat row %q", got)
	}
}

func TestTimeAxis(t *testing.T) {
	end := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	h := &fleet.DriftHistory{Range: time.Hour, Step: time.Minute, End: end,
		Series: []fleet.DriftSeries{{Scores: make([]float64, 61)}}}
	axis := timeAxis(h, 60, end.Add(time.Second), false)
	if !strings.HasPrefix(axis, "└02:00") || !strings.HasSuffix(axis, "now┘") || !strings.Contains(axis, "┴02:30") ||
		ansi.StringWidth(axis) != 60 {
		t.Errorf("axis %q", axis)
	}
	// An old newest step is named by its time, not "now".
	axis = timeAxis(h, 60, end.Add(time.Hour), false)
	if !strings.HasSuffix(axis, "03:00┘") {
		t.Errorf("stale axis %q", axis)
	}
}

func TestBarTickAndFill(t *testing.T) {
	th, _ := themes.ByName("dark", true)
	p := painter{th: th, g: themes.Unicode}
	at := row{known: true, thrKnown: true, severity: 1, drifted: true}
	if got := ansi.Strip(p.bar(at, 12)); got != "████│░░░░░░░" {
		t.Errorf("bar at the threshold %q", got)
	}
	over := row{known: true, thrKnown: true, severity: 5, drifted: true}
	if got := ansi.Strip(p.bar(over, 12)); got != "████│███████" {
		t.Errorf("bar beyond the scale %q", got)
	}
	if got := ansi.Strip(p.bar(row{}, 12)); got != strings.Repeat(" ", 12) {
		t.Errorf("no data should draw no bar, got %q", got)
	}
}
