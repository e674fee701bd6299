package merge

import (
	"math"
	"sort"
	"strconv"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

const (
	labelCounter model.LabelName = "counter"
	labelLe      model.LabelName = "le"
)

// isCountsRole reports the verdict window's roles, which are read after
// the others (addCounts).
func isCountsRole(r fleet.Role) bool {
	return r == fleet.RoleVerdictCounts || r == fleet.RoleVerdictLatency
}

// addCounts fills Version.Counts from the verdict window's requests,
// errors and latency buckets. They only attach to versions another role
// named: a version that stopped serving within the window still has an
// increase over it, and must not come back as serving for that. Series
// repeated for one version (an override without sum by) are added up, as
// increases of disjoint series are.
func (b *builder) addCounts(counts, latency model.Vector) {
	for _, s := range counts {
		v := b.countsVersion(s)
		f := float64(s.Value)
		if v == nil || !known(f) || f < 0 {
			continue
		}
		var dst **float64
		switch string(s.Metric[labelCounter]) {
		case fleet.CounterRequests:
			dst = &b.counts(v).Requests
		case fleet.CounterErrors:
			dst = &b.counts(v).Errors
		default:
			continue
		}
		if *dst != nil {
			f += **dst
		}
		*dst = b.nums.ptr(f)
	}
	for v, h := range b.bucketsByVersion(latency) {
		b.counts(v).Latency = h
	}
}

// bucketsByVersion gathers a histogram role's cumulative buckets by the
// version another role named, adding up series repeated for one bucket;
// a version whose buckets lack +Inf is left out (latencyBuckets).
func (b *builder) bucketsByVersion(vec model.Vector) map[*versionAcc][]fleet.Bucket {
	byLe := map[*versionAcc]map[float64]float64{}
	for _, s := range vec {
		v := b.countsVersion(s)
		f := float64(s.Value)
		le, err := strconv.ParseFloat(string(s.Metric[labelLe]), 64)
		if v == nil || !known(f) || f < 0 || err != nil || math.IsNaN(le) {
			continue
		}
		if byLe[v] == nil {
			byLe[v] = map[float64]float64{}
		}
		byLe[v][le] += f
	}
	out := make(map[*versionAcc][]fleet.Bucket, len(byLe))
	for v, m := range byLe {
		if h := latencyBuckets(m); h != nil {
			out[v] = h
		}
	}
	return out
}

// countsVersion is the version a sample names, when another role named it.
func (b *builder) countsVersion(s *model.Sample) *versionAcc {
	if s == nil {
		return nil
	}
	m := b.models[string(s.Metric[labelModel])]
	if m == nil {
		return nil
	}
	return m.versions[string(s.Metric[labelVersion])]
}

func (b *builder) counts(v *versionAcc) *fleet.Counts {
	if v.v.Counts == nil {
		v.v.Counts = &fleet.Counts{Window: b.cfg.VerdictWindow}
	}
	return v.v.Counts
}

// latencyBuckets orders a version's buckets by bound; nil unless the last is
// +Inf, without which the total is unknown. Counts are raised to the
// running maximum, as histogram_quantile does, since increase() may
// extrapolate each bucket differently.
func latencyBuckets(byLe map[float64]float64) []fleet.Bucket {
	if _, ok := byLe[math.Inf(1)]; !ok {
		return nil
	}
	out := make([]fleet.Bucket, 0, len(byLe))
	for le, c := range byLe {
		out = append(out, fleet.Bucket{Le: le, Count: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Le < out[j].Le })
	for i := 1; i < len(out); i++ {
		out[i].Count = math.Max(out[i].Count, out[i-1].Count)
	}
	return out
}
