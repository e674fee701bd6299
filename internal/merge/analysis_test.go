package merge

import (
	"reflect"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// A rollout's analysis runs: the latest revision's only (the controller
// keeps older ones), one-hot zeros ignored, and where two series of one
// metric disagree the worse phase is kept.
func TestMergeAnalysisRuns(t *testing.T) {
	in := vecs{
		fleet.RoleRolloutInfo: {sample(1, "model", "fraud", "phase", "Paused", "strategy", "canary")},
		fleet.RoleAnalysisRun: {
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "phase", "Failed"),
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3", "phase", "Running"),
			sample(1, "model", "fraud", "run", "fraud-5f7b9c-2-1", "phase", "Failed"), // an earlier revision
			sample(0, "model", "fraud", "run", "fraud-6d4b8c9f7-3", "phase", "Successful"),
		},
		fleet.RoleAnalysisMetric: {
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "metric", "latency", "phase", "Successful"),
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "metric", "error-rate", "phase", "Successful"),
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "metric", "error-rate", "phase", "Failed"),
			sample(1, "model", "fraud", "run", "fraud-6d4b8c9f7-3", "metric", "verdict", "phase", "Running"),
			sample(1, "model", "fraud", "run", "fraud-5f7b9c-2-1", "metric", "error-rate", "phase", "Failed"),
		},
	}
	got := judged(in, nil, MergeConfig{})
	m := findModel(t, got.Models, "fraud")
	if m.Rollout == nil {
		t.Fatal("no rollout")
	}
	want := []fleet.AnalysisRun{
		{Name: "fraud-6d4b8c9f7-3", Phase: "Running", Metrics: []fleet.AnalysisMetric{{Name: "verdict", Phase: "Running"}}},
		{Name: "fraud-6d4b8c9f7-3-1", Phase: "Failed", Metrics: []fleet.AnalysisMetric{
			{Name: "error-rate", Phase: "Failed"}, {Name: "latency", Phase: "Successful"}}},
	}
	if !reflect.DeepEqual(m.Rollout.Analysis, want) {
		t.Errorf("analysis %+v,\nwant %+v", m.Rollout.Analysis, want)
	}
}
