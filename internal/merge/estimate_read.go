package merge

import (
	"math"
	"slices"
	"strconv"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// Reading the estimate's histograms out of the tables the poller keeps:
// for 1,000 models the prediction rows are a tenth of a quarter of a
// million feature_buckets rows, so rows are grouped in two passes into
// shared arrays, without an allocation per histogram.

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

// calibrationPair is one version's two labelled-score histograms, and
// once prepared their counts per bucket or why they cannot be read.
type calibrationPair struct {
	all, positive       cumulative
	ready               bool
	why                 string
	bounds              []float64
	labelled, positives []float64
}

// histKey names one version's histogram by its metrics labels.
type histKey struct{ model, version string }

// groupKey is a histogram's labels as IDs in one table's dictionary (side:
// the calibration label, or the feature): rows are grouped by comparing
// integers, and the strings looked up once per histogram.
type groupKey struct{ model, version, side uint32 }

// groups are a table's histograms.
type groups struct {
	keys []groupKey
	hist []cumulative
}

// groupRows groups t's rows whose side column holds side1 or side2 by
// (model, version, side). Answers come in no particular order, so each
// row finds its group through a chain per model ID (a model has a few
// versions), which costs no hashing; each group's buckets go into a block
// of a shared arena, and only a histogram with more buckets than a block
// holds gets room of its own.
func groupRows(t *labelrows.Table, cm, cv, cl, cs int, side1, side2 uint32) groups {
	const block = 16
	var g groups
	var next []int32
	var arena []float64
	head := make([]int32, len(t.Dict()))
	for i := range head {
		head[i] = -1
	}
	les := newLeParser(t.Dict())
	for r := range t.Len() {
		side := t.ID(r, cs)
		if side == labelrows.Absent || side != side1 && side != side2 {
			continue
		}
		k := groupKey{t.ID(r, cm), t.ID(r, cv), side}
		if k.model == labelrows.Absent || int(k.model) >= len(head) {
			continue
		}
		gi := head[k.model]
		for gi >= 0 && g.keys[gi] != k {
			gi = next[gi]
		}
		if gi < 0 {
			gi = int32(len(g.keys))
			g.keys = append(g.keys, k)
			next = append(next, head[k.model])
			head[k.model] = gi
			if len(arena) < 2*block {
				arena = make([]float64, 2*block*256)
			}
			g.hist = append(g.hist, cumulative{bounds: arena[0:0:block], counts: arena[block : block : 2*block]})
			arena = arena[2*block:]
		}
		h := &g.hist[gi]
		le, ok := les.parse(t.ID(r, cl))
		if !ok {
			h.bad = true
			continue
		}
		h.bounds = append(h.bounds, le)
		h.counts = append(h.counts, t.Value(r))
	}
	return g
}

// readCalibration groups score_calibration's rows by version and by the
// calibration label.
func readCalibration(t *labelrows.Table) map[histKey]*calibrationPair {
	cm, cv, cl, cc := t.Column("model"), t.Column("version"), t.Column("le"), t.Column("calibration")
	if cm < 0 || cv < 0 || cl < 0 || cc < 0 {
		return nil
	}
	idAll, idPositive := dictID(t, fleet.CalibrationAll), dictID(t, fleet.CalibrationPositive)
	g := groupRows(t, cm, cv, cl, cc, idAll, idPositive)
	pairs := make([]calibrationPair, 0, len(g.keys)/2+1)
	out := make(map[histKey]*calibrationPair, len(g.keys)/2+1)
	dict := t.Dict()
	for i, k := range g.keys {
		key := histKey{dict[k.model], dict[k.version]}
		p := out[key]
		if p == nil {
			if len(pairs) == cap(pairs) {
				pairs = make([]calibrationPair, 0, 16)
			}
			pairs = append(pairs, calibrationPair{})
			p = &pairs[len(pairs)-1]
			out[key] = p
		}
		if k.side == idAll {
			p.all = g.hist[i]
		} else {
			p.positive = g.hist[i]
		}
	}
	return out
}

// readPredictions picks the prediction histograms out of feature_buckets.
func readPredictions(t *labelrows.Table) map[histKey]*cumulative {
	if t.Len() == 0 {
		return nil
	}
	cm, cv, cf, cl := t.Column("model"), t.Column("version"), t.Column("feature"), t.Column("le")
	if cm < 0 || cv < 0 || cf < 0 || cl < 0 {
		return nil
	}
	pred := dictID(t, fleet.PredictionFeature)
	if pred == labelrows.Absent {
		return nil
	}
	g := groupRows(t, cm, cv, cl, cf, pred, pred)
	out := make(map[histKey]*cumulative, len(g.keys))
	dict := t.Dict()
	for i, k := range g.keys {
		out[histKey{dict[k.model], dict[k.version]}] = &g.hist[i]
	}
	return out
}

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

func newLeParser(dict []string) *leParser {
	return &leParser{dict: dict, state: make([]uint8, len(dict)), value: make([]float64, len(dict))}
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
