package histdrift

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/labelrows"
)

// Label names read from the histogram queries.
const (
	labelModel    = "model"
	labelVersion  = "version"
	labelFeature  = "feature"
	labelLE       = "le"
	labelCategory = "category"
)

// BucketColumns and CategoryColumns are the labels the bucket and the
// category queries' answers are read by, as table columns.
var (
	BucketColumns   = []string{labelModel, labelVersion, labelFeature, labelLE}
	CategoryColumns = []string{labelModel, labelVersion, labelFeature, labelCategory}
)

// seriesKey names one feature of one model version.
type seriesKey struct{ model, version, feature string }

func (k seriesKey) versionKey() VersionKey { return VersionKey{Model: k.model, Version: k.version} }

// idKey is a seriesKey by dictionary IDs within one labelrows.
type idKey struct{ model, version, feature uint32 }

// columns are the positions of a table's key labels; version may be
// missing (-1), the others may not.
type columns struct{ model, version, feature, extra int }

func columnsOf(t *labelrows.Table, extra string) (columns, bool) {
	c := columns{t.Column(labelModel), t.Column(labelVersion), t.Column(labelFeature), t.Column(extra)}
	return c, c.model >= 0 && c.feature >= 0 && c.extra >= 0
}

// key reads a row's key; ok is false when the row has no model or feature.
func (c columns) key(row []uint32) (idKey, bool) {
	k := idKey{model: row[c.model], feature: row[c.feature]}
	if c.version >= 0 {
		k.version = row[c.version]
	}
	return k, k.model != labelrows.Absent && k.feature != labelrows.Absent
}

func (k idKey) text(dict []string) seriesKey {
	return seriesKey{dict[k.model], dict[k.version], dict[k.feature]}
}

// numGroup is one feature's buckets as read: bounds and cumulative counts in
// the order the rows came.
type numGroup struct {
	key    seriesKey
	bounds []float64
	values []float64
}

// numSide groups bucket rows by feature. Its slices are reused from one
// refresh to the next.
type numSide struct {
	index  groupIndex
	groups []numGroup
	parts  []int32 // by dictionary ID of a model: its part, or -1
}

func (s *numSide) reset(dictLen int) {
	s.index.reset(dictLen)
	for i := range s.groups {
		s.groups[i].bounds = s.groups[i].bounds[:0]
		s.groups[i].values = s.groups[i].values[:0]
	}
	s.groups = s.groups[:0]
}

// partOf is the part of the model with dictionary ID id, computed once
// per labelrows.
func (s *numSide) partOf(id uint32, dict []string, parts int) int {
	p := s.parts[id]
	if p < 0 {
		p = int32(partOf(dict[id], parts))
		s.parts[id] = p
	}
	return int(p)
}

// group returns the group for k, adding it when new.
func (s *numSide) group(k idKey, dict []string) *numGroup {
	i, added := s.index.find(k, len(s.groups))
	if !added {
		return &s.groups[i]
	}
	key := k.text(dict)
	if i < cap(s.groups) {
		s.groups = s.groups[:i+1]
		s.groups[i].key = key
	} else {
		s.groups = append(s.groups, numGroup{key: key})
	}
	return &s.groups[i]
}

// fill groups t's rows; rows without a model, feature or a readable le are
// skipped, and so is a table without those columns.
func (s *numSide) fill(t *labelrows.Table, les *leCache) { s.fillPart(t, les, 0, 1) }

// fillPart is fill for the rows of the models that fall to part w of parts
// (partOf): one part of the models, every row of theirs.
func (s *numSide) fillPart(t *labelrows.Table, les *leCache, w, parts int) {
	if t.Len() == 0 {
		s.reset(0)
		return
	}
	s.reset(len(t.Dict()))
	cols, ok := columnsOf(t, labelLE)
	if !ok {
		return
	}
	dict := t.Dict()
	les.reset(dict)
	if parts > 1 {
		s.parts = setAll(s.parts, len(dict), -1)
	}
	var (
		last    *numGroup
		lastKey idKey
	)
	for r := range t.Len() {
		row := t.Row(r)
		k, ok := cols.key(row)
		if !ok || parts > 1 && s.partOf(k.model, dict, parts) != w {
			continue
		}
		le, ok := les.parse(row[cols.extra])
		if !ok {
			continue
		}
		// Buckets of one feature often come together: skip the map then.
		if last == nil || lastKey != k {
			last, lastKey = s.group(k, dict), k
		}
		last.bounds = append(last.bounds, le)
		last.values = append(last.values, t.Value(r))
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

// leCache parses each `le` value of a table's dictionary once.
type leCache struct {
	dict  []string
	state []uint8 // leUnknown, leOK or leBad, by dictionary ID
	value []float64
}

const (
	leUnknown uint8 = iota
	leOK
	leBad
)

func (c *leCache) reset(dict []string) {
	c.dict = dict
	c.state = append(c.state[:0], make([]uint8, len(dict))...)
	if cap(c.value) < len(dict) {
		c.value = make([]float64, len(dict))
	}
	c.value = c.value[:len(dict)]
}

func (c *leCache) parse(id uint32) (float64, bool) {
	switch c.state[id] {
	case leOK:
		return c.value[id], true
	case leBad:
		return 0, false
	}
	v, err := strconv.ParseFloat(c.dict[id], 64)
	if err != nil || math.IsNaN(v) {
		c.state[id] = leBad
		return 0, false
	}
	c.state[id], c.value[id] = leOK, v
	return v, true
}

// catSide groups category rows by feature.
type catSide struct {
	groups map[seriesKey]drift.Categorical
}

func (s *catSide) fill(t *labelrows.Table) {
	s.groups = make(map[seriesKey]drift.Categorical)
	if t.Len() == 0 {
		return
	}
	cols, ok := columnsOf(t, labelCategory)
	if !ok {
		return
	}
	dict := t.Dict()
	var (
		lastKey idKey
		last    drift.Categorical
	)
	for r := range t.Len() {
		row := t.Row(r)
		k, ok := cols.key(row)
		cat := row[cols.extra]
		v := t.Value(r)
		if !ok || cat == labelrows.Absent || math.IsNaN(v) {
			continue
		}
		if last == nil || lastKey != k {
			lastKey = k
			key := k.text(dict)
			last = s.groups[key]
			if last == nil {
				last = make(drift.Categorical, 8)
				s.groups[key] = last
			}
		}
		last[dict[cat]] += v
	}
}
