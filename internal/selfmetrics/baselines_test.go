package selfmetrics

import (
	"io"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// The latest snapshot's baselines are served as model_offline_performance,
// labelled with the model's name in the metrics, for the versions with live
// quality only; before the first snapshot there are none.
func TestOfflinePerformanceFromSnapshot(t *testing.T) {
	var snap fleet.Snapshot
	have := false
	m := New(Options{Latest: func() (fleet.Snapshot, bool) { return snap, have }})
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	if out := scrape(); strings.Contains(out, "model_offline_performance{") {
		t.Fatalf("baselines before the first snapshot:\n%s", out)
	}
	snap = fleet.Snapshot{Models: []fleet.Model{
		{Name: "credit-risk", Versions: []fleet.Version{
			{Version: "12", Performance: map[string]float64{"auc": 0.81}, Baseline: map[string]float64{"auc": 0.86, "f1": 0.7}},
			{Version: "11", Baseline: map[string]float64{"auc": 0.9}}, // not serving: no live quality
		}},
		{Name: "fraud", ServingName: "fraud-v2", Versions: []fleet.Version{
			{Version: "3", Performance: map[string]float64{"rmse": 2}, Baseline: map[string]float64{"rmse": 1.5, "bad": math.NaN()}},
		}},
	}}
	have = true
	out := scrape()
	for _, want := range []string{
		`model_offline_performance{metric="auc",model="credit-risk",version="12"} 0.86`,
		`model_offline_performance{metric="f1",model="credit-risk",version="12"} 0.7`,
		`model_offline_performance{metric="rmse",model="fraud-v2",version="3"} 1.5`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "model_offline_performance{"); n != 3 {
		t.Errorf("%d baselines served, want 3:\n%s", n, out)
	}
}
