package drifthistory

import (
	"math"
	"sort"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// seriesID keys a score series: a method change (categories crossing two
// values under auto) starts a new series rather than mixing scales.
type seriesID struct{ version, feature, method string }

func record(series map[seriesID]*fleet.DriftSeries, version string, f fleet.FeatureDrift, i, n int) {
	id := seriesID{version, f.Feature, f.Method}
	s := series[id]
	if s == nil {
		s = &fleet.DriftSeries{Version: version, Feature: f.Feature, Method: f.Method, Scores: make([]float64, n)}
		for j := range s.Scores {
			s.Scores[j] = math.NaN()
		}
		series[id] = s
	}
	if f.Threshold != nil {
		s.Threshold = *f.Threshold
	}
	s.Scores[i] = f.Score
}

// tableAt takes each series' value at one step, as an instant query at
// that time would have returned it.
func tableAt(m model.Matrix, at model.Time, cols []string) *labelrows.Table {
	b := labelrows.NewBuilder(cols, len(m))
	row := make([]uint32, len(cols))
	for _, s := range m {
		i := sort.Search(len(s.Values), func(i int) bool { return s.Values[i].Timestamp >= at })
		if i == len(s.Values) || s.Values[i].Timestamp != at {
			continue
		}
		for c, l := range cols {
			row[c] = b.Intern(string(s.Metric[model.LabelName(l)]))
		}
		b.Add(row, float64(s.Values[i].Value))
	}
	return b.Table()
}

// profiles are the registry's reference profiles of the model's versions,
// keyed by the metrics' label.
func (h *Provider) profiles(registered, label string) map[histdrift.VersionKey]string {
	if h.opts.Registry == nil {
		return nil
	}
	reg := h.opts.Registry()
	if reg == nil {
		return nil
	}
	out := map[histdrift.VersionKey]string{}
	for i := range reg.Models {
		rm := &reg.Models[i]
		if rm.Name != registered {
			continue
		}
		for _, v := range rm.Versions {
			if tag, ok := v.Tags[histdrift.TagKey]; ok {
				out[histdrift.VersionKey{Model: label, Version: v.Version}] = tag
			}
		}
		break
	}
	return out
}

// servingName looks a registered model's metrics label up in the latest
// snapshot: it differs when the registry join mapped a serving name.
func (h *Provider) servingName(name string) string {
	if h.opts.Latest == nil {
		return name
	}
	snap, ok := h.opts.Latest()
	if !ok {
		return name
	}
	for i := range snap.Models {
		if m := &snap.Models[i]; m.Name == name && m.ServingName != "" {
			return m.ServingName
		}
	}
	return name
}
