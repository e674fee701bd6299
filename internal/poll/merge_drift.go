package poll

import (
	"sort"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// isPrediction reports whether a drift "feature" is the model's output.
func isPrediction(feature string) bool {
	return feature == fleet.PredictionFeature || feature == "prediction"
}

// threshold for a method: configured, else Evidently's default, else nil.
func (b *builder) threshold(method string) *float64 {
	if t, ok := b.thresholds[method]; ok {
		return b.nums.ptr(t)
	}
	if t, ok := drift.DefaultThreshold(method); ok {
		return b.nums.ptr(t)
	}
	return nil
}

func (b *builder) addDrift(v *versionAcc, s *model.Sample) {
	feature := string(s.Metric[labelFeature])
	score := float64(s.Value)
	if feature == "" || !known(score) {
		return
	}
	method := drift.Canonical(string(s.Metric[labelMethod]))
	fd := fleet.FeatureDrift{Feature: feature, Score: score, Method: method, Threshold: b.threshold(method), Source: fleet.DriftExported}
	if drift.IsPValue(method) {
		fd.PValue = b.nums.ptr(score)
	}
	if fd.Threshold != nil {
		fd.Drifted = b.bools.ptr(drift.Drifted(method, score, *fd.Threshold))
	}
	if isPrediction(feature) {
		if v.prediction == nil || worse(fd, *v.prediction) {
			p := fd
			v.prediction = &p
		}
		return
	}
	if v.features == nil {
		v.features = make([]fleet.FeatureDrift, 0, 16) // typical feature counts fit without regrowing
	}
	v.features = append(v.features, fd)
}

// severity of a judged feature; ok is false when it has no threshold.
func severity(f fleet.FeatureDrift) (float64, bool) {
	if f.Threshold == nil {
		return 0, false
	}
	return drift.Severity(f.Method, f.Score, *f.Threshold), true
}

// worse reports whether a is a worse finding than c. Judged features beat
// unjudged ones; ties go to the name, so the choice is stable.
func worse(a, c fleet.FeatureDrift) bool {
	sa, oka := severity(a)
	sc, okc := severity(c)
	if oka != okc {
		return oka
	}
	if sa != sc {
		return sa > sc
	}
	if a.Feature != c.Feature {
		return a.Feature < c.Feature
	}
	return a.Method < c.Method
}

// finishDrift sorts the features and gives the version's verdict: the worst
// feature's figures, and drifted when at least DriftShare of the judged
// features drifted (a feature judged by several methods drifted when any says so).
func (b *builder) finishDrift(v *versionAcc) {
	if v.computed != nil {
		b.addComputed(v)
	}
	if len(v.features) == 0 && v.prediction == nil && v.computed == nil {
		return
	}
	d := &fleet.Drift{Prediction: v.prediction}
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
		var judged, drifted int
		worst := -1
		for i := range fs {
			f := fs[i]
			if f.Threshold != nil && (worst < 0 || worse(f, fs[worst])) {
				worst = i
			}
			// Entries of one feature are adjacent after the sort.
			if i > 0 && fs[i-1].Feature == f.Feature {
				continue
			}
			j, any := judgeFeature(fs[i:])
			if j {
				judged++
			}
			if any {
				drifted++
			}
		}
		if worst >= 0 {
			w := fs[worst]
			d.Score = b.nums.ptr(w.Score)
			d.Method = w.Method
			d.Threshold = w.Threshold
			d.Feature = w.Feature
		}
		if judged > 0 {
			d.Drifted = b.bools.ptr(float64(drifted)/float64(judged) >= b.cfg.DriftShare)
		}
	}
	v.v.Drift = d
}

// judgeFeature looks at the entries of the feature at fs[0]: whether any
// has a verdict, and whether any verdict is drifted.
func judgeFeature(fs []fleet.FeatureDrift) (judged, drifted bool) {
	name := fs[0].Feature
	for _, f := range fs {
		if f.Feature != name {
			break
		}
		if f.Drifted != nil {
			judged = true
			drifted = drifted || *f.Drifted
		}
	}
	return judged, drifted
}
