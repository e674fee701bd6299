package report

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func f(v float64) *float64 { return &v }

func TestTable(t *testing.T) {
	step, steps := 2, 4
	s := fleet.Snapshot{
		TakenAt: time.Unix(1000, 0),
		Sources: []fleet.SourceStatus{
			{Name: "embedded", Kind: "embedded", OK: true, Latency: 12 * time.Millisecond},
			{Name: "mlflow", Kind: "mlflow", Error: "connection refused", LastSuccess: time.Unix(940, 0)},
		},
		Models: []fleet.Model{{
			Name:    "credit\x1b[31m-risk",
			Rollout: &fleet.Rollout{Phase: "Paused", Candidate: "12", Weights: map[string]float64{"12": 25}, Step: &step, Steps: &steps},
			Versions: []fleet.Version{
				{Version: "11", Track: "stable", TrafficWeight: f(75), RequestsPerSecond: f(40), ErrorRate: f(0.005),
					Latency:     fleet.Latency{P95: f(0.044)},
					Performance: map[string]float64{"auc": 0.87}, Baseline: map[string]float64{"auc": 0.88},
					GroundTruth: fleet.GroundTruth{LastLabelAgeSeconds: f(172800), LabeledFraction: f(0.05)}},
				{Version: "12", Track: "canary", TrafficWeight: f(25), Latency: fleet.Latency{Mean: f(0.05)}},
			},
		}},
	}
	var b strings.Builder
	if err := Table(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"embedded (embedded): ok 12ms", "mlflow (mlflow): error: connection refused (data 1m old)",
		"credit-risk", "44ms", "0.5%", "auc .87 (off .88)", "2d · 5.0%", "Paused 2/4 12@25%", "50ms (mean)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence reached the table:\n%q", out)
	}
}
