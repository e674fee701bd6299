package merge

import (
	"testing"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
)

// TestMergeDataQualityWithoutTheWindowsHistograms: feature_missing
// answered (1,000 predictions) while the window's histogram queries did
// not (a first read that timed out): no feature is silent, the version is
// not critical, and its findings say its data quality is unknown.
func TestMergeDataQualityWithoutTheWindowsHistograms(t *testing.T) {
	vectors := computedFleet()
	delete(vectors, fleet.RoleFeatureBuckets)
	delete(vectors, fleet.RoleFeatureCategories)
	vectors[fleet.RoleFeatureMissing] = append(vectors[fleet.RoleFeatureMissing],
		sample(1000, "model", "churn", "version", "3", "counter", fleet.CounterPredictions),
		sample(0, "model", "churn", "version", "3", "feature", "tenure", "counter", fleet.CounterMissing))
	out := judged(vectors, nil, MergeConfig{Drift: histdrift.New(histdrift.Options{Method: "psi"})})
	v := findVersion(t, findModel(t, out.Models, "churn"), "3")
	if v.Health.Status == fleet.StatusCritical || v.Health.Status == fleet.StatusOK {
		t.Errorf("health %+v: neither critical nor ok", v.Health)
	}
	dq := v.DataQuality
	if dq == nil {
		t.Fatal("no data quality")
	}
	for _, f := range dq.Features {
		if f.Silent || f.Absent {
			t.Errorf("%s %+v: silent or absent with the window unread", f.Feature, f)
		}
	}
	unknown := false
	for _, f := range v.Health.Findings {
		unknown = unknown || f.Check == fleet.CheckDataQuality && f.Status == fleet.StatusUnknown
	}
	if !unknown {
		t.Errorf("findings %+v: no unknown data-quality finding", v.Health.Findings)
	}
}
