package actions

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

func TestSummary(t *testing.T) {
	if s := summarize(nil, "1"); s.Health != "unknown" || s.Text() != "unknown" || s.DriftScore != nil {
		t.Errorf("no snapshot: %+v %q", s, s.Text())
	}
	m := driftingModel()
	for i := range 7 {
		m.Health.Findings = append(m.Health.Findings, fleet.Finding{Message: string(rune('a' + i))})
	}
	s := summarize(m, "3")
	if len(s.Findings) != maxFindings || s.Findings[0] != "v3: drift psi 0.31 on tenure" {
		t.Errorf("findings %q", s.Findings)
	}
	if got, want := s.Text(), "warn; v3: drift psi 0.31 on tenure; a; b; c; d; drift psi 0.31 on tenure; f1 0.72 vs 0.78 offline"; got != want {
		t.Errorf("text\n got %q\nwant %q", got, want)
	}
	if s := summarize(m, "9"); s.Metric != "" || s.DriftFeature != "" || s.Health != "warn" {
		t.Errorf("unknown version: %+v", s)
	}
}

// The retrain payload names each drifted feature once, however many
// methods scored it: it reads the judged finding.
func TestSummaryNamesEachFeatureOnce(t *testing.T) {
	yes := true
	m := &fleet.Model{Name: "churn", Versions: []fleet.Version{{Version: "3", Serving: true, RequestsPerSecond: ptrTo(5.0),
		Drift: &fleet.Drift{
			Features: []fleet.FeatureDrift{
				{Feature: "tenure", Score: 0.2, Method: "psi"},
				{Feature: "tenure", Score: 0.3, Method: "wasserstein"},
			},
			Outputs: []fleet.FeatureDrift{{Feature: fleet.PredictionFeature, Score: 0.4, Method: "wasserstein", Drifted: &yes}},
		}}}}
	judge.Model(m, judge.Default())
	s := summarize(m, "3")
	if len(s.Findings) != 1 || s.Findings[0] != "v3: drift in tenure, prediction" {
		t.Errorf("findings %q, want each feature once", s.Findings)
	}
}

func ptrTo(v float64) *float64 { return &v }
