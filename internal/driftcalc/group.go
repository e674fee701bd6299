package driftcalc

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/table"
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

// idKey is a seriesKey by dictionary IDs within one table.
type idKey struct{ model, version, feature uint32 }

// columns are the positions of a table's key labels; version may be
// missing (-1), the others may not.
type columns struct{ model, version, feature, extra int }

func columnsOf(t *table.Table, extra string) (columns, bool) {
	c := columns{t.Column(labelModel), t.Column(labelVersion), t.Column(labelFeature), t.Column(extra)}
	return c, c.model >= 0 && c.feature >= 0 && c.extra >= 0
}

// key reads a row's key; ok is false when the row has no model or feature.
func (c columns) key(row []uint32) (idKey, bool) {
	k := idKey{model: row[c.model], feature: row[c.feature]}
	if c.version >= 0 {
		k.version = row[c.version]
	}
	return k, k.model != table.Absent && k.feature != table.Absent
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
// per table.
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

// groupIndex numbers the features of one table by their dictionary IDs.
// Each model remembers the last version and feature it was looked up
// with, and that group: rows of one feature come together (Prometheus's
// order) or each model's come round again with the same feature (rows
// sorted by label set, as VictoriaMetrics and Thanos answer), so most rows
// cost a slice read and three comparisons. Others cost a map lookup by an
// integer key.
type groupIndex struct {
	model    []modelSlot      // by dictionary ID of the model
	versions map[uint64]int32 // model<<32 | version -> version number
	groups   map[uint64]int   // version number<<32 | feature -> group
}

// setAll makes s n values long, each v.
func setAll(s []int32, n int, v int32) []int32 {
	s = slices.Grow(s[:0], n)[:n]
	for i := range s {
		s[i] = v
	}
	return s
}

// modelSlot is a model's last lookup: version (and its number, -1 for
// none yet), feature and group.
type modelSlot struct {
	version, feature uint32
	num              int32
	group            int
}

// reset readies the index for a table whose dictionary has n values.
func (x *groupIndex) reset(n int) {
	if cap(x.model) < n {
		x.model = make([]modelSlot, n)
	}
	x.model = x.model[:n]
	for i := range x.model {
		x.model[i] = modelSlot{num: -1}
	}
	if x.versions == nil {
		x.versions, x.groups = make(map[uint64]int32), make(map[uint64]int)
	}
	clear(x.versions)
	clear(x.groups)
}

// find returns k's group, or next after recording it as k's when k is
// new.
func (x *groupIndex) find(k idKey, next int) (group int, added bool) {
	slot := &x.model[k.model]
	if slot.num >= 0 && slot.version == k.version {
		if slot.feature == k.feature {
			return slot.group, false
		}
	} else {
		vk := uint64(k.model)<<32 | uint64(k.version)
		v, ok := x.versions[vk]
		if !ok {
			v = int32(len(x.versions))
			x.versions[vk] = v
		}
		slot.version, slot.num = k.version, v
	}
	fk := uint64(slot.num)<<32 | uint64(k.feature)
	g, ok := x.groups[fk]
	if !ok {
		g = next
		x.groups[fk] = g
	}
	slot.feature, slot.group = k.feature, g
	return g, !ok
}

// fill groups t's rows; rows without a model, feature or a readable le are
// skipped, and so is a table without those columns.
func (s *numSide) fill(t *table.Table, les *leCache) { s.fillPart(t, les, 0, 1) }

// fillPart is fill for the rows of the models that fall to part w of parts
// (partOf): one part of the models, every row of theirs.
func (s *numSide) fillPart(t *table.Table, les *leCache, w, parts int) {
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

func (s *catSide) fill(t *table.Table) {
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
		if !ok || cat == table.Absent || math.IsNaN(v) {
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

// refCache remembers the grouped reference window and reuses it while the
// table is the same one: the reference query runs far less often than the
// refresh, and the poller hands back the same table until it does.
type refCache struct {
	seen    *table.Table
	numeric map[seriesKey]refBinned
	// all lists the features in the order the table had them, and
	// byPart the same split into parts by model (partOf): the current
	// window's usually come in the same order, which finds a feature's
	// reference without hashing its key.
	all    []refEntry
	byPart [][]refEntry
	hit    bool // the last call reused the cache
}

type refEntry struct {
	key seriesKey
	ref refBinned
}

// refBinned is one feature's reference histogram, or why there is none.
type refBinned struct {
	b   drift.Binned
	err error
}

func (c *refCache) numericFor(t *table.Table, scratch *numSide, les *leCache) map[seriesKey]refBinned {
	c.hit = c.numeric != nil && c.seen == t
	if c.hit {
		return c.numeric
	}
	scratch.fill(t, les)
	out := make(map[seriesKey]refBinned, len(scratch.groups))
	c.all, c.byPart = c.all[:0], nil
	for i := range scratch.groups {
		g := &scratch.groups[i]
		b, err := g.binned()
		out[g.key] = refBinned{b, err}
		c.all = append(c.all, refEntry{g.key, refBinned{b, err}})
	}
	c.seen, c.numeric = t, out
	return out
}

// order is the reference's features of part w of parts, in table order.
func (c *refCache) order(w, parts int) []refEntry {
	if parts == 1 {
		return c.all
	}
	if len(c.byPart) != parts {
		c.byPart = make([][]refEntry, parts)
		for _, e := range c.all {
			p := partOf(e.key.model, parts)
			c.byPart[p] = append(c.byPart[p], e)
		}
	}
	return c.byPart[w]
}

// lookup finds k's reference; i is k's position among its part's features
// in the current window, order the reference's features of that part.
func (c *refCache) lookup(order []refEntry, i int, k seriesKey) (refBinned, bool) {
	if i < len(order) && order[i].key == k {
		return order[i].ref, true
	}
	r, ok := c.numeric[k]
	return r, ok
}

// partOf is the part of parts that model's features fall to: the same in
// every table, whatever its dictionary.
func partOf(model string, parts int) int {
	if parts == 1 {
		return 0
	}
	h := uint32(2166136261) // FNV-1a
	for i := range len(model) {
		h = (h ^ uint32(model[i])) * 16777619
	}
	return int(h % uint32(parts))
}

// catCache is refCache for categories.
type catCache struct {
	seen   *table.Table
	groups map[seriesKey]drift.Categorical
	hit    bool
}

func (c *catCache) groupsFor(t *table.Table) map[seriesKey]drift.Categorical {
	c.hit = c.groups != nil && c.seen == t
	if c.hit {
		return c.groups
	}
	var side catSide
	side.fill(t)
	c.seen, c.groups = t, side.groups
	return c.groups
}
