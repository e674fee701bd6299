package merge

import (
	"math"
	"slices"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// Several series for one (model, version) in one answer (an override
// without sum by) are summed where that means something and otherwise
// reported with the worst kept, never "last one wins"; an error ratio of
// +Inf (errors, no success) is kept for the judge.
func TestSeveralSeriesPerVersion(t *testing.T) {
	in := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: {sample(3, "model", "m", "version", "1", "pod", "a"), sample(4, "model", "m", "version", "1", "pod", "b")},
		fleet.RoleErrorRatio: {
			sample(0.01, "model", "m", "version", "1", "pod", "a"), sample(0.2, "model", "m", "version", "1", "pod", "b"),
			sample(math.Inf(1), "model", "m", "version", "2"),
		},
		fleet.RoleLabeledFraction: {sample(0.9, "model", "m", "version", "1", "pod", "a"), sample(0.4, "model", "m", "version", "1", "pod", "b")},
		fleet.RoleLatencyP95:      {sample(0.1, "model", "m", "version", "2")},
	}
	for _, order := range []bool{false, true} {
		if order {
			for _, vec := range in {
				slices.Reverse(vec)
			}
		}
		m := findModel(t, Merge(in, nil, MergeConfig{}).Models, "m")
		v1, v2 := findVersion(t, m, "1"), findVersion(t, m, "2")
		if !eqPtr(v1.RequestsPerSecond, 7) || !eqPtr(v1.ErrorRate, 0.2) || !eqPtr(v1.GroundTruth.LabeledFraction, 0.4) {
			t.Errorf("reversed %v: rps %v err %v labelled %v, want 7 (summed), .2 and .4 (the worst)", order,
				*v1.RequestsPerSecond, *v1.ErrorRate, *v1.GroundTruth.LabeledFraction)
		}
		if want := []fleet.Role{fleet.RoleErrorRatio, fleet.RoleLabeledFraction}; !slices.Equal(v1.DuplicateSeries, want) {
			t.Errorf("duplicates %v, want %v", v1.DuplicateSeries, want)
		}
		if v2.ErrorRate == nil || !math.IsInf(*v2.ErrorRate, 1) || v2.DuplicateSeries != nil {
			t.Errorf("v2 error ratio %v duplicates %v, want +Inf and none", v2.ErrorRate, v2.DuplicateSeries)
		}
	}
}
