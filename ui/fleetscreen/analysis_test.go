package fleetscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/uitest"
)

func analysisScreen(t testing.TB, w, h int) *Model {
	t.Helper()
	return screenOver(t, uitest.AnalysisSnapshot(), w, h)
}

func TestViewGoldenAnalysis(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		m := analysisScreen(t, sz[0], sz[1])
		v := m.View()
		checkSize(t, v, sz[0], sz[1])
		uitest.Golden(t, fmt.Sprintf("fleet_analysis_dark_%dx%d", sz[0], sz[1]), v)
	}
}

// The ROLLOUT cell counts the analysis's metrics by outcome after the
// word "analysis", so the check never reads as the model's health; where
// there is no room the counts are left out, never cut.
func TestRolloutCellCountsAnalysis(t *testing.T) {
	step, steps := 2, 4
	m := &fleet.Model{Rollout: &fleet.Rollout{Phase: "Paused", Candidate: "2", Step: &step, Steps: &steps, SetWeight: ptr(25),
		Analysis: []fleet.AnalysisRun{
			{Name: "r-abc-2-1", Phase: fleet.AnalysisFailed, Metrics: []fleet.AnalysisMetric{
				{Name: "a", Phase: fleet.AnalysisFailed}, {Name: "b", Phase: fleet.AnalysisSuccessful}, {Name: "c", Phase: fleet.AnalysisSuccessful}}},
			{Name: "r-abc-2", Phase: fleet.AnalysisRunning, Metrics: []fleet.AnalysisMetric{
				{Name: "d", Phase: fleet.AnalysisInconclusive}, {Name: "e", Phase: fleet.AnalysisPending}}},
		}},
		Versions: []fleet.Version{{Version: "1", Serving: true, Track: fleet.TrackStable}, {Version: "2", Serving: true, Track: fleet.TrackCanary}}}
	for _, c := range []struct {
		g     themes.Glyphs
		w     int
		want  string
		exact bool
	}{
		{themes.Unicode, 60, "॥ Paused 2/4 ▕█░░░▏25% analysis ✔2 ✖1 ⚠1 ◌1", true},
		{themes.Unicode, 30, "॥ 2/4 25% analysis ✔2 ✖1 ⚠1 ◌1", true},
		{themes.ASCII, 60, "analysis +2 x1 !1 ~1", false},
		{themes.Unicode, 15, "॥ 2/4 ▕█░░░▏25%", true},
	} {
		got := cellText(rolloutCell(m, c.w, c.g))
		if c.exact && got != c.want || !c.exact && !strings.Contains(got, c.want) {
			t.Errorf("at %d: %q, want %q", c.w, got, c.want)
		}
		if ansi.StringWidth(got) > c.w {
			t.Errorf("at %d: %q is wider", c.w, got)
		}
	}
}
