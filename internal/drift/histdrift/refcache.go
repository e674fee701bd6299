package histdrift

import (
	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/labelrows"
)

// refCache remembers the grouped reference window and reuses it while the
// table is the same one: the reference query runs far less often than the
// refresh, and the poller hands back the same table until it does.
type refCache struct {
	seen    *labelrows.Table
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

func (c *refCache) numericFor(t *labelrows.Table, scratch *numSide, les *leCache) map[seriesKey]refBinned {
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
	seen   *labelrows.Table
	groups map[seriesKey]drift.Categorical
	hit    bool
}

func (c *catCache) groupsFor(t *labelrows.Table) map[seriesKey]drift.Categorical {
	c.hit = c.groups != nil && c.seen == t
	if c.hit {
		return c.groups
	}
	var side catSide
	side.fill(t)
	c.seen, c.groups = t, side.groups
	return c.groups
}
