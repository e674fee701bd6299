package histdrift

import (
	"math"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// labelCounter tells the feature_missing roles' two counts apart.
const labelCounter = "counter"

// MissingColumns are the labels the feature_missing roles' answers are
// read by, as table columns.
var MissingColumns = []string{labelModel, labelVersion, labelFeature, labelCounter}

// missingCounts are one version's counts from a feature_missing answer.
type missingCounts struct {
	predictions float64
	hasPred     bool
	missing     map[string]float64 // by feature; nil when the version has no missing series
}

// share is feature's missing share; ok is false when unknown: no
// predictions, or no missing series at all for the version (its exporter
// does not count missing values). A feature without a series while others
// have one was never missing: clients create a counter's series at its
// first increment.
func (m *missingCounts) share(feature string) (float64, bool) {
	if m == nil || !m.hasPred || m.predictions <= 0 || m.missing == nil {
		return 0, false
	}
	return min(m.missing[feature]/m.predictions, 1), true
}

// counted is feature's missing share when the feature has a missing
// series of its own: a count of its values, not the inference that a
// feature without one was never missing (an exporter that no longer sees
// a feature at all writes no series for it).
func (m *missingCounts) counted(feature string) (float64, bool) {
	if _, ok := m.share(feature); !ok {
		return 0, false
	}
	if _, ok := m.missing[feature]; !ok {
		return 0, false
	}
	return m.share(feature)
}

// readMissing groups a feature_missing answer by version; rows without a
// model or counter, and counts that are not numbers, are skipped.
func readMissing(t *labelrows.Table) map[VersionKey]*missingCounts {
	out := map[VersionKey]*missingCounts{}
	if t.Len() == 0 {
		return out
	}
	cm, cv, cf, cc := t.Column(labelModel), t.Column(labelVersion), t.Column(labelFeature), t.Column(labelCounter)
	if cm < 0 || cc < 0 {
		return out
	}
	dict := t.Dict()
	for r := range t.Len() {
		row, val := t.Row(r), t.Value(r)
		if row[cm] == labelrows.Absent || !(val >= 0) || math.IsInf(val, 1) {
			continue
		}
		vk := VersionKey{Model: dict[row[cm]]}
		if cv >= 0 {
			vk.Version = dict[row[cv]]
		}
		m := out[vk]
		if m == nil {
			m = &missingCounts{}
			out[vk] = m
		}
		switch dict[row[cc]] {
		case fleet.CounterPredictions:
			m.predictions += val
			m.hasPred = true
		case fleet.CounterMissing:
			if cf < 0 || row[cf] == labelrows.Absent {
				continue
			}
			if m.missing == nil {
				m.missing = map[string]float64{}
			}
			m.missing[dict[row[cf]]] += val
		}
	}
	return out
}

// observed is one window's histograms of one version, by feature.
type observed struct {
	numeric     map[string]drift.Binned
	categorical map[string]drift.Categorical
}

// readObserved groups bucket and category tables by version, leaving out
// the prediction and buckets that do not read. The buckets borrow side's
// slices: they are valid until side is filled again.
func readObserved(buckets, categories *labelrows.Table, side *numSide, les *leCache) map[VersionKey]*observed {
	out := map[VersionKey]*observed{}
	get := func(vk VersionKey) *observed {
		o := out[vk]
		if o == nil {
			o = &observed{numeric: map[string]drift.Binned{}, categorical: map[string]drift.Categorical{}}
			out[vk] = o
		}
		return o
	}
	side.fill(buckets, les)
	for i := range side.groups {
		g := &side.groups[i]
		if g.key.feature == fleet.PredictionFeature {
			continue
		}
		b, err := g.binnedInPlace()
		if err != nil {
			continue
		}
		get(g.key.versionKey()).numeric[g.key.feature] = b
	}
	var cats catSide
	cats.fill(categories)
	for k, c := range cats.groups {
		if k.feature == fleet.PredictionFeature {
			continue
		}
		get(k.versionKey()).categorical[k.feature] = c
	}
	return out
}

func catTotal(c drift.Categorical) float64 {
	t := 0.0
	for _, v := range c {
		t += v
	}
	return t
}
