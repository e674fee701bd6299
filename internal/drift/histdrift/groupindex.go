package histdrift

import "slices"

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
