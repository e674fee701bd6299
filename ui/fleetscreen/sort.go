package fleetscreen

import (
	"cmp"
	"math"
	"slices"
)

// The table is ordered by a sortable column; s cycles through them in
// display order.

func (id colID) String() string {
	switch {
	case id < 0 || id >= numCols:
		return "?"
	case fleetColumns[id].title == "":
		return "health"
	}
	return fleetColumns[id].title
}

// firstSort is the default order: the first sortable column, health,
// worst first.
var firstSort = nextSort(-1, false)

// nextSort is the sortable column after id, wrapping round; alerts
// columns only when there is an alert source (they are not drawn without one).
func nextSort(id colID, alerts bool) colID {
	for i := colID(1); i <= numCols; i++ {
		next := (id + i) % numCols
		if next >= 0 && fleetColumns[next].sort != nil && (alerts || !fleetColumns[next].alerts) {
			return next
		}
	}
	return id
}

// bySeverity orders worst first: rank ascending, then more findings first.
func bySeverity(a, b *entry) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	return cmp.Compare(b.findings, a.findings)
}

// byName orders A to Z by display name, then by raw name.
func byName(a, b *entry) int {
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.m.Name, b.m.Name)
}

// value is an entry's number for a column (NaN = unknown).
func (e *entry) value(id colID) float64 { return e.keys[id] }

// sortEntries returns the indexes of entries in display order. Unknown
// values sort last in either direction; ties fall back to the name, so the
// order is total and stable across polls.
func sortEntries(entries []entry, k colID, reverse bool) []int {
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	sd := fleetColumns[k].sort
	desc := !sd.asc != reverse
	slices.SortFunc(order, func(i, j int) int {
		a, b := &entries[i], &entries[j]
		var c int
		if sd.cmp != nil {
			c = sd.cmp(a, b)
			if reverse {
				c = -c
			}
		} else {
			va, vb := a.keys[k], b.keys[k]
			switch na, nb := math.IsNaN(va), math.IsNaN(vb); {
			case na && nb:
			case na:
				return 1
			case nb:
				return -1
			default:
				c = cmp.Compare(va, vb)
				if desc {
					c = -c
				}
			}
		}
		if c != 0 {
			return c
		}
		return byName(a, b)
	})
	return order
}

// sortKeys fills an entry's numbers for the columns that sort by value:
// over its serving versions, the sum or the largest.
func (e *entry) sortKeys() {
	for id := range fleetColumns {
		e.keys[id] = math.NaN()
		sd := fleetColumns[id].sort
		if sd == nil || sd.value == nil {
			continue
		}
		acc := math.NaN()
		for _, vi := range e.versions {
			v := sd.value(&e.m.Versions[vi])
			if sd.sum {
				acc = addKnown(acc, v)
			} else {
				acc = maxKnown(acc, v)
			}
		}
		e.keys[id] = acc
	}
}
