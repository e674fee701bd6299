package driftcalc

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
)

// Label names read from the histogram queries.
const (
	labelModel    model.LabelName = "model"
	labelVersion  model.LabelName = "version"
	labelFeature  model.LabelName = "feature"
	labelLE       model.LabelName = "le"
	labelCategory model.LabelName = "category"
)

// seriesKey names one feature of one model version.
type seriesKey struct{ model, version, feature string }

func (k seriesKey) versionKey() VersionKey { return VersionKey{Model: k.model, Version: k.version} }

// numGroup is one feature's buckets as read: bounds and cumulative counts in
// the order the samples came.
type numGroup struct {
	key    seriesKey
	bounds []float64
	values []float64
}

// numSide groups bucket samples by feature. Its slices are reused from one
// refresh to the next.
type numSide struct {
	index  map[seriesKey]int
	groups []numGroup
}

func (s *numSide) reset() {
	if s.index == nil {
		s.index = make(map[seriesKey]int)
	}
	clear(s.index)
	for i := range s.groups {
		s.groups[i].bounds = s.groups[i].bounds[:0]
		s.groups[i].values = s.groups[i].values[:0]
	}
	s.groups = s.groups[:0]
}

// group returns the group for k, adding it when new.
func (s *numSide) group(k seriesKey) *numGroup {
	if i, ok := s.index[k]; ok {
		return &s.groups[i]
	}
	i := len(s.groups)
	s.index[k] = i
	if i < cap(s.groups) {
		s.groups = s.groups[:i+1]
		s.groups[i].key = k
	} else {
		s.groups = append(s.groups, numGroup{key: k})
	}
	return &s.groups[i]
}

// fill groups vec's samples; samples without a model, feature or a
// readable le are skipped.
func (s *numSide) fill(vec model.Vector, les *leCache) {
	s.reset()
	var last *numGroup
	for _, smp := range vec {
		if smp == nil {
			continue
		}
		m := smp.Metric
		k := seriesKey{string(m[labelModel]), string(m[labelVersion]), string(m[labelFeature])}
		if k.model == "" || k.feature == "" {
			continue
		}
		le, ok := les.parse(string(m[labelLE]))
		if !ok {
			continue
		}
		// Buckets of one feature usually come together: skip the map then.
		if last == nil || last.key != k {
			last = s.group(k)
		}
		last.bounds = append(last.bounds, le)
		last.values = append(last.values, float64(smp.Value))
	}
}

// binned turns a group into per-bucket counts sorted by bound, in new
// slices (drift.FromCumulative): what outlives the refresh.
func (g *numGroup) binned() (drift.Binned, error) {
	g.sort()
	return drift.FromCumulative(g.bounds, g.values)
}

func (g *numGroup) sort() {
	if !sort.Float64sAreSorted(g.bounds) {
		drift.SortBuckets(g.bounds, g.values)
	}
}

// binnedInPlace is binned without allocating: the counts replace the
// cumulative values, and the result borrows the group's slices, so it is
// valid until the next fill. It follows drift.FromCumulative's rule (each
// cumulative value raised to the running maximum before differencing, so
// that extrapolated increase() values that dip never make a bucket
// negative); the bounds are checked by drift.Compute, which every use
// passes them to.
func (g *numGroup) binnedInPlace() (drift.Binned, error) {
	g.sort()
	prev := 0.0
	for i, c := range g.values {
		if !(c >= 0) || math.IsInf(c, 1) {
			return drift.Binned{}, fmt.Errorf("cumulative bucket le=%g = %g: %w", g.bounds[i], c, drift.ErrCount)
		}
		g.values[i] = 0
		if c > prev {
			g.values[i] = c - prev
			prev = c
		}
	}
	return drift.Binned{Bounds: g.bounds, Counts: g.values}, nil
}

// leCache parses `le` label values once: a fleet uses few distinct bounds.
type leCache struct{ m map[string]float64 }

// maxLECache bounds the cache should bounds be many and ever-changing.
const maxLECache = 1 << 14

func (c *leCache) parse(s string) (float64, bool) {
	if v, ok := c.m[s]; ok {
		return v, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) {
		return 0, false
	}
	if c.m == nil || len(c.m) >= maxLECache {
		c.m = make(map[string]float64, 64)
	}
	c.m[s] = v
	return v, true
}

// catSide groups category samples by feature.
type catSide struct {
	groups map[seriesKey]drift.Categorical
}

func (s *catSide) fill(vec model.Vector) {
	s.groups = make(map[seriesKey]drift.Categorical)
	var (
		lastKey seriesKey
		last    drift.Categorical
	)
	for _, smp := range vec {
		if smp == nil {
			continue
		}
		m := smp.Metric
		k := seriesKey{string(m[labelModel]), string(m[labelVersion]), string(m[labelFeature])}
		cat := string(m[labelCategory])
		v := float64(smp.Value)
		if k.model == "" || k.feature == "" || cat == "" || math.IsNaN(v) {
			continue
		}
		if last == nil || lastKey != k {
			lastKey, last = k, s.groups[k]
			if last == nil {
				last = make(drift.Categorical, 8)
				s.groups[k] = last
			}
		}
		last[cat] += v
	}
}

// refCache remembers the grouped reference window and reuses it while the
// samples are the same ones: the reference query runs far less often than
// the refresh, and the poller hands back the same samples until it does.
type refCache struct {
	seen    []*model.Sample
	numeric map[seriesKey]refBinned
	hit     bool // the last call reused the cache
}

// refBinned is one feature's reference histogram, or why there is none.
type refBinned struct {
	b   drift.Binned
	err error
}

func (c *refCache) numericFor(vec model.Vector, scratch *numSide, les *leCache) map[seriesKey]refBinned {
	c.hit = c.numeric != nil && slices.Equal(c.seen, []*model.Sample(vec))
	if c.hit {
		return c.numeric
	}
	scratch.fill(vec, les)
	out := make(map[seriesKey]refBinned, len(scratch.groups))
	for i := range scratch.groups {
		g := &scratch.groups[i]
		b, err := g.binned()
		out[g.key] = refBinned{b, err}
	}
	c.seen = append(c.seen[:0], vec...)
	c.numeric = out
	return out
}

// catCache is refCache for categories.
type catCache struct {
	seen   []*model.Sample
	groups map[seriesKey]drift.Categorical
	hit    bool
}

func (c *catCache) groupsFor(vec model.Vector) map[seriesKey]drift.Categorical {
	c.hit = c.groups != nil && slices.Equal(c.seen, []*model.Sample(vec))
	if c.hit {
		return c.groups
	}
	var side catSide
	side.fill(vec)
	c.seen = append(c.seen[:0], vec...)
	c.groups = side.groups
	return c.groups
}
