package merge

import (
	"sort"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

func (b *builder) addDrift(v *versionAcc, s *model.Sample) {
	feature := string(s.Metric[labelFeature])
	score := float64(s.Value)
	if feature == "" || !known(score) {
		return
	}
	method := drift.Canonical(string(s.Metric[labelMethod]))
	fd := fleet.FeatureDrift{Feature: feature, Score: score, Method: method, Source: fleet.DriftExported}
	if drift.IsPValue(method) {
		fd.PValue = b.nums.ptr(score)
	}
	if fleet.IsPredictionFeature(feature) {
		v.outputs = append(v.outputs, fd)
		return
	}
	if v.features == nil {
		v.features = make([]fleet.FeatureDrift, 0, 16) // typical feature counts fit without regrowing
	}
	v.features = append(v.features, fd)
}

// finishDrift sorts the features and puts the version's drift together;
// the verdicts (thresholds, drifted, the worst feature, dataset drift)
// are the judge's.
func (b *builder) finishDrift(v *versionAcc) {
	if v.computed != nil {
		b.addComputed(v)
	}
	if len(v.features) == 0 && len(v.outputs) == 0 && v.computed == nil {
		return
	}
	d := &fleet.Drift{Outputs: v.outputs}
	if c := v.computed; c != nil {
		d.Reference, d.NoData, d.ReferenceError = c.Reference, c.NoData, c.ReferenceError
		d.TooFew = c.TooFew
	}
	if len(v.features) > 0 {
		fs := v.features
		sort.Slice(fs, func(i, j int) bool {
			if c := strings.Compare(fs[i].Feature, fs[j].Feature); c != 0 {
				return c < 0
			}
			return fs[i].Method < fs[j].Method
		})
		d.Features = fs
	}
	v.v.Drift = d
}
