package fleetscreen

import (
	"cmp"
	"math"
	"slices"
)

// sortKey is what the table is ordered by; s cycles through them in order.
type sortKey int

const (
	sortSeverity sortKey = iota
	sortName
	sortRPS
	sortP95
	sortErr
	sortQuality
	sortDrift
	sortLabelAge
	numSortKeys
)

var sortNames = [numSortKeys]string{"health", "name", "req/s", "p95", "error", "quality Δ", "drift", "label age"}

func (k sortKey) String() string {
	if k < 0 || k >= numSortKeys {
		return "?"
	}
	return sortNames[k]
}

// descending reports the natural direction of a key: worst, busiest,
// slowest or oldest first, except names, which read A to Z.
func (k sortKey) descending() bool { return k != sortName }

// value is an entry's number for a numeric key (NaN = unknown).
func (e *entry) value(k sortKey) float64 {
	switch k {
	case sortRPS:
		return e.rps
	case sortP95:
		return e.p95
	case sortErr:
		return e.errRate
	case sortQuality:
		return e.qdrop
	case sortDrift:
		return e.drift
	case sortLabelAge:
		return e.labelAge
	}
	return math.NaN()
}

// sortEntries returns the indexes of entries in display order. Unknown
// values sort last in either direction; ties fall back to the name, so the
// order is total and stable across polls.
func sortEntries(entries []entry, k sortKey, reverse bool) []int {
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	desc := k.descending() != reverse
	byName := func(a, b *entry) int {
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.m.Name, b.m.Name)
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &entries[i], &entries[j]
		var c int
		switch k {
		case sortSeverity:
			// Worst first: rank ascending, then more findings first.
			c = cmp.Compare(a.rank, b.rank)
			if c == 0 {
				c = cmp.Compare(b.findings, a.findings)
			}
			if reverse {
				c = -c
			}
		case sortName:
			c = byName(a, b)
			if reverse {
				c = -c
			}
			return c
		default:
			va, vb := a.value(k), b.value(k)
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
