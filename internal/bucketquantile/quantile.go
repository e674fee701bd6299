// Package bucketquantile computes histogram_quantile of classic histogram
// buckets on the client, with Prometheus's own code (promql.BucketQuantile),
// so that one answer of the buckets serves every quantile asked of them.
package bucketquantile

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql"

	"github.com/mltop/mltop/internal/labelrows"
)

// Group is one histogram: the buckets' series with le removed, and the
// buckets themselves.
type Group struct {
	Metric  model.Metric
	buckets promql.Buckets
}

// Groups splits a vector of bucket series (each with an le label) into
// histograms as histogram_quantile does: by every label but le, the metric
// name dropped. ok is false where the answer may depend on the server's
// version, so that the server is better asked itself: a native histogram
// sample, an le that is not a number (or is NaN), or two series of one
// histogram with the same bound (their counts are summed in an order the
// client cannot know), a label that versions treat differently (quantile,
// dropped by 2.x; the metadata labels __type__ and __unit__), or metric
// names that tell apart series the grouping would join (Prometheus 3
// keeps the name in the grouping and refuses such an answer).
func Groups(vec model.Vector) (groups []Group, ok bool) {
	index := map[model.Fingerprint]int{}
	named := map[model.Fingerprint]bool{}
	for _, s := range vec {
		if s.Histogram != nil || versionDependent(s.Metric) {
			return nil, false
		}
		ub, err := strconv.ParseFloat(string(s.Metric[model.BucketLabel]), 64)
		if err != nil || math.IsNaN(ub) {
			return nil, false
		}
		m := make(model.Metric, len(s.Metric))
		for k, v := range s.Metric {
			if k != model.BucketLabel && k != model.MetricNameLabel {
				m[k] = v
			}
		}
		fp := m.Fingerprint()
		if name, has := s.Metric[model.MetricNameLabel]; has {
			m[model.MetricNameLabel] = name
			named[m.Fingerprint()] = true
			delete(m, model.MetricNameLabel)
		} else {
			named[fp] = true
		}
		i, seen := index[fp]
		if !seen {
			i = len(groups)
			index[fp] = i
			groups = append(groups, Group{Metric: m})
		}
		groups[i].buckets = append(groups[i].buckets, promql.Bucket{UpperBound: ub, Count: float64(s.Value)})
	}
	if !distinctBounds(groups) || len(named) != len(groups) {
		return nil, false
	}
	return groups, true
}

// Quantile is histogram_quantile(q, g). ok is false when Prometheus
// versions disagree on the answer: counts of neighbouring buckets that
// differ by less than a relative 1e-12 are made equal since Prometheus 3,
// and left as they are before.
func (g Group) Quantile(q float64) (v float64, ok bool) {
	// BucketQuantile sorts and coalesces in place: give it a copy, so that
	// every quantile starts from the same buckets.
	b := make(promql.Buckets, len(g.buckets))
	copy(b, g.buckets)
	v, _, fixedPrecision, _, _, _ := promql.BucketQuantile(q, b)
	return v, !fixedPrecision
}

// Vector is histogram_quantile(q, ·) of groups at ts, as the server would
// answer it; ok is false when any histogram's answer may differ by server
// version (see Group.Quantile).
func Vector(q float64, groups []Group, ts model.Time) (model.Vector, bool) {
	out := make(model.Vector, 0, len(groups))
	for _, g := range groups {
		v, ok := g.Quantile(q)
		if !ok {
			return nil, false
		}
		out = append(out, &model.Sample{Metric: g.Metric.Clone(), Value: model.SampleValue(v), Timestamp: ts})
	}
	return out, true
}

// FromTable is Groups for an answer read as a table whose columns are all
// the labels the series can have (those of a `sum by (…, le)`), le among
// them; a table with rows left out for holding native histograms is not
// to be answered here (histograms > 0).
func FromTable(tab *labelrows.Table, histograms int) (groups []Group, ok bool) {
	le := tab.Column(model.BucketLabel)
	if le < 0 || histograms > 0 {
		return nil, false
	}
	for _, l := range tab.Labels() {
		if versionLabels[model.LabelName(l)] || l == model.MetricNameLabel {
			return nil, false
		}
	}
	labels, dict := tab.Labels(), tab.Dict()
	index := map[string]int{}
	key := make([]byte, 0, 4*len(labels))
	for r := range tab.Len() {
		ub, err := strconv.ParseFloat(dict[tab.ID(r, le)], 64)
		if err != nil || math.IsNaN(ub) {
			return nil, false
		}
		row := tab.Row(r)
		key = key[:0]
		for c, id := range row {
			if c != le {
				key = binary.LittleEndian.AppendUint32(key, id)
			}
		}
		i, seen := index[string(key)]
		if !seen {
			m := make(model.Metric, len(labels)-1)
			for c, id := range row {
				if c != le && id != labelrows.Absent {
					m[model.LabelName(labels[c])] = model.LabelValue(dict[id])
				}
			}
			i = len(groups)
			index[string(key)] = i
			groups = append(groups, Group{Metric: m})
		}
		groups[i].buckets = append(groups[i].buckets, promql.Bucket{UpperBound: ub, Count: tab.Value(r)})
	}
	if !distinctBounds(groups) {
		return nil, false
	}
	return groups, true
}

// distinctBounds reports whether no histogram has two series of one bound.
func distinctBounds(groups []Group) bool {
	for _, g := range groups {
		bounds := make(map[float64]bool, len(g.buckets))
		for _, b := range g.buckets {
			if bounds[b.UpperBound] {
				return false
			}
			bounds[b.UpperBound] = true
		}
	}
	return true
}

// versionLabels are the labels histogram_quantile's grouping treats
// differently from one Prometheus version to another.
var versionLabels = map[model.LabelName]bool{"quantile": true, "__type__": true, "__unit__": true}

func versionDependent(m model.Metric) bool {
	for k := range m {
		if versionLabels[k] {
			return true
		}
	}
	return false
}
