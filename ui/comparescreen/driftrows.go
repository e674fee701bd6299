package comparescreen

import (
	"sort"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
)

// driftRows compare each feature's drift, one row per method.
func driftRows(in inputs) []row {
	st := roleStaleness(in.snap, fleet.RoleDriftScore)
	out := []row{{heading: true, label: "Drift", stale: st}}
	fa, fb := features(in.a.Drift), features(in.b.Drift)
	names := make([]string, 0, len(fa)+len(fb))
	for n := range fa {
		names = append(names, n)
	}
	for n := range fb {
		if _, ok := fa[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		// The model's output last, after its inputs.
		pi, pj := names[i] == fleet.PredictionFeature, names[j] == fleet.PredictionFeature
		if pi != pj {
			return pj
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return append(out, row{note: true, label: "no drift scores for either version"})
	}
	for _, n := range names {
		for _, p := range pairByMethod(fa[n], fb[n]) {
			out = append(out, driftRow(n, p[0], p[1], st))
		}
	}
	return out
}

// features lists each feature's scores, one per method, by feature name.
func features(d *fleet.Drift) map[string][]*fleet.FeatureDrift {
	out := map[string][]*fleet.FeatureDrift{}
	if d == nil {
		return out
	}
	for i := range d.Features {
		out[d.Features[i].Feature] = append(out[d.Features[i].Feature], &d.Features[i])
	}
	if d.Prediction != nil {
		out[fleet.PredictionFeature] = append(out[fleet.PredictionFeature], d.Prediction)
	}
	return out
}

// pairByMethod puts the same method side by side, so that a Δ compares
// like with like: a feature scored by an exporter (psi) and by mltop
// (wasserstein) gets a row per method. Methods one side lacks get a row
// with that side empty. Only when the sides share no method at all are
// the two scores shown together without a Δ (driftRow's clash).
func pairByMethod(a, b []*fleet.FeatureDrift) [][2]*fleet.FeatureDrift {
	method := func(f *fleet.FeatureDrift) string { return drift.Canonical(f.Method) }
	find := func(fs []*fleet.FeatureDrift, m string) *fleet.FeatureDrift {
		for _, f := range fs {
			if method(f) == m {
				return f
			}
		}
		return nil
	}
	var common, onlyA, onlyB [][2]*fleet.FeatureDrift
	for _, f := range a {
		if g := find(b, method(f)); g != nil {
			common = append(common, [2]*fleet.FeatureDrift{f, g})
		} else {
			onlyA = append(onlyA, [2]*fleet.FeatureDrift{f, nil})
		}
	}
	for _, g := range b {
		if find(a, method(g)) == nil {
			onlyB = append(onlyB, [2]*fleet.FeatureDrift{nil, g})
		}
	}
	if len(common) == 0 && len(onlyA) == 1 && len(onlyB) == 1 {
		return [][2]*fleet.FeatureDrift{{onlyA[0][0], onlyB[0][1]}}
	}
	byMethod := func(ps [][2]*fleet.FeatureDrift) {
		sort.SliceStable(ps, func(i, j int) bool {
			return method(first(ps[i])) < method(first(ps[j]))
		})
	}
	byMethod(common)
	byMethod(onlyA)
	byMethod(onlyB)
	return append(append(common, onlyA...), onlyB...)
}

func first(p [2]*fleet.FeatureDrift) *fleet.FeatureDrift {
	if p[0] != nil {
		return p[0]
	}
	return p[1]
}

func driftRow(name string, a, b *fleet.FeatureDrift, st staleness) row {
	label := termsafe.Clean(name)
	if name == fleet.PredictionFeature {
		label = "prediction"
	}
	r := row{unit: unitScore, stale: st}
	method := ""
	for _, f := range []*fleet.FeatureDrift{a, b} {
		if f == nil {
			continue
		}
		m := drift.Canonical(f.Method)
		if method != "" && m != method {
			r.methodsClash = true
		}
		method = m
	}
	score := func(f *fleet.FeatureDrift) *float64 {
		if f == nil {
			return nil
		}
		s := f.Score
		return &s
	}
	r.a, r.b = score(a), score(b)
	r.warnA = a != nil && a.Drifted != nil && *a.Drifted
	r.warnB = b != nil && b.Drifted != nil && *b.Drifted
	if r.methodsClash {
		r.label = label
		r.text = true
		r.ta, r.tb = termsafe.Clean(a.Method)+" "+human.Score(a.Score), termsafe.Clean(b.Method)+" "+human.Score(b.Score)
		return r
	}
	r.label = label + " " + termsafe.Clean(method)
	p := judge.DriftPair(method)
	r.dir, r.bounded = p.Dir, p.Bounded
	for _, f := range []*fleet.FeatureDrift{a, b} {
		if f != nil {
			r.noise = max(r.noise, judge.DriftNoise(method, f.Threshold))
		}
	}
	return r
}
