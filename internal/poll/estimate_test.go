package poll

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/merge"
)

// TestEstimateQueriesPerRefresh: the quality estimate costs the same
// queries per refresh for 10 models as for 1,000 (the calibration once in
// its schedule, the exporters' own estimates every refresh), and every
// snapshot carries the estimate, also on refreshes that reuse the
// histogram answers.
func TestEstimateQueriesPerRefresh(t *testing.T) {
	les := []string{"0.25", "0.5", "0.75", "1", "+Inf"}
	pred := []float64{10, 30, 60, 100, 100}
	all := []float64{100, 200, 300, 400, 400}
	pos := []float64{10, 40, 100, 190, 190}
	calls := map[int]int{}
	for _, n := range []int{10, 1000} {
		src := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
			var out model.Vector
			for i := range n {
				l := []string{"model", fmt.Sprintf("m%04d", i), "version", "1"}
				switch expr {
				case "rate":
					out = append(out, sample(1, l...))
				case "buckets":
					for j, le := range les {
						out = append(out, sample(pred[j], append(l, "feature", fleet.PredictionFeature, "le", le)...))
					}
				case "calibration":
					for j, le := range les {
						out = append(out, sample(all[j], append(l, "le", le, "calibration", "all")...),
							sample(pos[j], append(l, "le", le, "calibration", "positive")...))
					}
				}
			}
			return out, nil, nil
		}}
		clock := newFakeClock()
		p := New(Options{Metrics: src, Now: clock.Now, Refresh: 5 * time.Second,
			Estimate: merge.EstimateConfig{Threshold: 0.5, CalibrationWindow: 7 * 24 * time.Hour},
			Queries: []Query{
				{Name: "request_rate", Role: fleet.RoleRequestRate, Expr: "rate"},
				{Name: "feature_buckets", Role: fleet.RoleFeatureBuckets, Expr: "buckets", Every: time.Minute},
				{Name: "score_calibration", Role: fleet.RoleScoreCalibration, Expr: "calibration", Every: 7 * 24 * time.Hour / 60},
				{Name: "performance_estimate", Role: fleet.RolePerformanceEstimate, Expr: "estimate"},
			}})
		for i := range 12 {
			s := p.PollOnce(context.Background())
			v := s.Models[n-1].Versions[0]
			if a, ok := v.EstimatedPerformance["accuracy"]; !ok || math.Abs(a.Value-0.77) > 1e-9 {
				t.Fatalf("%d models, refresh %d: estimated %v, calibration %+v", n, i, v.EstimatedPerformance, v.Calibration)
			}
			clock.Advance(5 * time.Second)
		}
		calls[n] = src.Calls()
	}
	// request_rate and performance_estimate 12 times each; the histograms once.
	if calls[10] != 26 || calls[1000] != 26 {
		t.Errorf("queries in 12 refreshes: %v, want 26 for either fleet", calls)
	}
}
