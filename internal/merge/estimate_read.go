package merge

import (
	"math"
	"slices"
	"strconv"

	"github.com/mltop/mltop/internal/labelrows"
)

// Reading the estimate's histograms out of the tables the poller keeps:
// for 1,000 models the prediction rows are a tenth of a quarter of a
// million feature_buckets rows. Rows are grouped by comparing dictionary
// IDs, in two passes, into arrays sized to the rows and reused from one
// read to the next, so that a read allocates next to nothing.

// cumulative is one histogram as read: bucket bounds and cumulative
// counts, slices of arrays shared by the whole table.
type cumulative struct {
	bounds, counts []float64
	bad            bool // an unreadable le
}

// sorted puts the histogram in ascending order of its bounds, in place;
// ok is false when a bound is unreadable or repeated, or there is none.
func (c *cumulative) sorted() (bounds, counts []float64, ok bool) {
	if c == nil || c.bad || len(c.bounds) == 0 {
		return nil, nil, false
	}
	b, n := c.bounds, c.counts
	// Insertion sort: a dozen buckets, usually in order already.
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j] < b[j-1]; j-- {
			b[j], b[j-1] = b[j-1], b[j]
			n[j], n[j-1] = n[j-1], n[j]
		}
	}
	for i := 1; i < len(b); i++ {
		if b[i] == b[i-1] {
			return nil, nil, false
		}
	}
	return b, n, true
}

// histKey names one version's histogram by its metrics labels.
type histKey struct{ model, version string }

// groupKey is a version by IDs in one table's dictionary.
type groupKey struct{ model, version uint32 }

// grouper groups a table's histogram rows by version and side (the
// calibration label, or the feature); a version holds one histogram per
// side looked for. Its slices are reused from one read to the next: a
// histogram's slices stay valid until the grouper's next read.
type grouper struct {
	keys    []groupKey   // by group: its version
	hist    []cumulative // by group × side
	head    []int32      // by model ID: its last group, -1 none
	next    []int32      // by group: the model's group before it, -1 none
	size    []int32      // by group × side: rows
	rows    []int32      // the rows read, in table order
	rowHist []int32      // by row read: its histogram
	bounds  []float64
	counts  []float64
	les     leParser
	sides   int
}

// read groups t's rows whose side column (cs) holds one of sides (one or
// two) by (model, version). Answers come in no particular order, so each
// row finds its group through a chain per model ID (a model has a few
// versions), which costs no hashing. The first pass counts each
// histogram's rows, the second puts their bounds and counts into place.
func (g *grouper) read(t *labelrows.Table, cm, cv, cl, cs int, sides ...uint32) {
	g.sides = len(sides)
	first, second := sides[0], sides[len(sides)-1]
	g.keys, g.next, g.size = g.keys[:0], g.next[:0], g.size[:0]
	g.rows, g.rowHist = g.rows[:0], g.rowHist[:0]
	if cap(g.rows) == 0 {
		// A first read: room for a table whose rows all count (the
		// calibration's), or a tenth of them (the prediction's).
		n := t.Len()
		if len(sides) == 1 {
			n /= 8
		}
		g.rows, g.rowHist = make([]int32, 0, n), make([]int32, 0, n)
	}
	dict := t.Dict()
	g.head = slices.Grow(g.head[:0], len(dict))[:len(dict)]
	for i := range g.head {
		g.head[i] = -1
	}
	// A histogram's rows usually come together: the last group found is
	// tried first.
	last, lastKey := int32(-1), groupKey{}
	cells, w := t.Cells(), len(t.Labels())
	for i := cs; i < len(cells); i += w {
		side := cells[i]
		if side == labelrows.Absent {
			continue
		}
		// Most rows of the feature table are other features': two
		// comparisons, no call.
		slot := 0
		if side != first {
			if side != second {
				continue
			}
			slot = 1
		}
		r := i / w
		k := groupKey{t.ID(r, cm), t.ID(r, cv)}
		if k.model == labelrows.Absent {
			continue
		}
		gi := last
		if k != lastKey {
			gi = g.head[k.model]
		}
		for gi >= 0 && g.keys[gi] != k {
			gi = g.next[gi]
		}
		if gi < 0 {
			gi = int32(len(g.keys))
			g.keys = append(g.keys, k)
			g.next = append(g.next, g.head[k.model])
			g.head[k.model] = gi
			for range sides {
				g.size = append(g.size, 0)
			}
		}
		last, lastKey = gi, k
		h := gi*int32(len(sides)) + int32(slot)
		g.size[h]++
		g.rows = append(g.rows, int32(r))
		g.rowHist = append(g.rowHist, h)
	}
	n := len(g.rows)
	g.bounds = slices.Grow(g.bounds[:0], n)[:n]
	g.counts = slices.Grow(g.counts[:0], n)[:n]
	g.hist = slices.Grow(g.hist[:0], len(g.size))[:len(g.size)]
	off := 0
	for h, size := range g.size {
		end := off + int(size)
		g.hist[h] = cumulative{bounds: g.bounds[off:off:end], counts: g.counts[off:off:end]}
		off = end
	}
	g.les.reset(dict)
	for i, r := range g.rows {
		h := &g.hist[g.rowHist[i]]
		le, ok := g.les.parse(t.ID(int(r), cl))
		if !ok {
			h.bad = true
			continue
		}
		h.bounds = append(h.bounds, le)
		h.counts = append(h.counts, t.Value(int(r)))
	}
}

// histogram is group gi's histogram of the given side (its position in
// read's sides).
func (g *grouper) histogram(gi, side int) *cumulative { return &g.hist[gi*g.sides+side] }

// dictID is s's ID in t's dictionary, Absent when t has no such value
// (Absent's own value, "", is never looked for).
func dictID(t *labelrows.Table, s string) uint32 {
	if i := slices.Index(t.Dict(), s); i > 0 {
		return uint32(i)
	}
	return labelrows.Absent
}

// leParser parses each le value of a table's dictionary once.
type leParser struct {
	dict  []string
	state []uint8 // 0 not parsed, 1 parsed, 2 unreadable; by dictionary ID
	value []float64
}

func (p *leParser) reset(dict []string) {
	p.dict = dict
	p.state = slices.Grow(p.state[:0], len(dict))[:len(dict)]
	clear(p.state)
	p.value = slices.Grow(p.value[:0], len(dict))[:len(dict)]
}

func (p *leParser) parse(id uint32) (float64, bool) {
	if int(id) >= len(p.dict) {
		return 0, false
	}
	switch p.state[id] {
	case 1:
		return p.value[id], true
	case 2:
		return 0, false
	}
	v, err := strconv.ParseFloat(p.dict[id], 64)
	if err != nil || math.IsNaN(v) {
		p.state[id] = 2
		return 0, false
	}
	p.state[id], p.value[id] = 1, v
	return v, true
}
