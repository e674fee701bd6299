package detailscreen

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

func TestRolloutLine(t *testing.T) {
	i := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		rollout *fleet.Rollout
		want    []string
	}{
		{nil, []string{"no rollout"}},
		{&fleet.Rollout{Phase: "Progressing", Strategy: "canary", Stable: "11", Candidate: "12", Step: i(2), Steps: i(4),
			SetWeight: f(20), Weights: map[string]float64{"11": 80, "12": 20}},
			[]string{"◌ Progressing · canary · Step 2/4 · SetWeight 20 · ActualWeight 20 · stable v11 · candidate v12"}},
		{&fleet.Rollout{Phase: "Paused", Strategy: "canary", Stable: "3", Candidate: "4", Weights: map[string]float64{"4": 33.3}},
			[]string{"॥ Paused", "ActualWeight 33.3"}},
		{&fleet.Rollout{Phase: "Degraded", Stable: "1"}, []string{"✖ Degraded", "stable v1", "no candidate"}},
		{&fleet.Rollout{Phase: "Aborted", Stable: "1", Candidate: "2"}, []string{"✖ Aborted", "candidate v2"}},
		{&fleet.Rollout{Phase: "Healthy", Stable: "8"}, []string{"✔ Healthy"}},
		{&fleet.Rollout{}, []string{"phase unknown", "stable —"}},
		// Each analysis run on a line of its own, every metric with its phase.
		{&fleet.Rollout{Phase: "Paused", Stable: "11", Candidate: "12", Analysis: []fleet.AnalysisRun{
			{Name: "fraud-6d4b8c9f7-3-1", Phase: "Failed", Metrics: []fleet.AnalysisMetric{
				{Name: "error-rate", Phase: "Failed"}, {Name: "latency", Phase: "Successful"}, {Name: "verdict", Phase: "Inconclusive"}}},
			{Name: "fraud-6d4b8c9f7-3", Metrics: []fleet.AnalysisMetric{{Name: "drift", Phase: "Running"}}}}},
			[]string{"candidate v12\n         analysis fraud-6d4b8c9f7-3-1 ✖ Failed · error-rate ✖ Failed · latency ✔ Successful · verdict ⚠ Inconclusive\n",
				"analysis fraud-6d4b8c9f7-3 · drift ◌ Running"}},
	}
	for _, tc := range cases {
		m := New(uitest.Common("dark"), "x")
		got := ansi.Strip(strings.Join(m.rolloutLines(&fleet.Model{Rollout: tc.rollout}, 200), "\n"))
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%+v: %q lacks %q", tc.rollout, got, w)
			}
		}
	}
}

func TestLineageUnknownFields(t *testing.T) {
	m := New(uitest.Common("dark"), "x")
	vs := []*fleet.Version{
		{Version: "3", InRegistry: true, Lineage: &fleet.Lineage{RunID: "0123456789abcdef"}},
		{Version: "4"},
	}
	got := ansi.Strip(strings.Join(m.lineageLines(vs, 250), "\n"))
	for _, w := range []string{"v3 run 01234567 ·", "source —", "dataset —", "git —", "by —", "created —",
		"stage —", "status —", "offline —", "v4 not in the registry"} {
		if !strings.Contains(got, w) {
			t.Errorf("lineage %q lacks %q", got, w)
		}
	}
	if strings.Contains(got, "89abcdef") {
		t.Error("run id not shortened")
	}
}
