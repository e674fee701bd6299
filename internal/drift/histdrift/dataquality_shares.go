package histdrift

import (
	"math"
	"sort"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// valueRange is the interval (Min, Max] a reference's observations lay
// in, at its buckets' resolution; ±Inf where unbounded.
type valueRange struct{ Min, Max float64 }

// rangeOf is the range of b's non-empty buckets; ok is false without
// observations.
func rangeOf(b drift.Binned) (valueRange, bool) {
	first, last := nonEmpty(b.Counts)
	if first < 0 {
		return valueRange{}, false
	}
	r := valueRange{Min: math.Inf(-1), Max: b.Bounds[last]}
	if first > 0 {
		r.Min = b.Bounds[first-1]
	}
	return r, true
}

// nonEmpty are the indexes of the first and last count above 0; -1, -1
// when there is none.
func nonEmpty(counts []float64) (first, last int) {
	first, last = -1, -1
	for i, c := range counts {
		if c > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// outOfRange is the share of cur's observations below the reference's
// first non-empty bucket or above its last: an empty bucket between two
// full ones is within the range (a gap, not a new extreme). When the
// buckets differ it falls back to the reference's recorded range (rng):
// the share in buckets wholly outside it. ok is false when neither
// applies or cur is empty.
func outOfRange(ref, cur drift.Binned, rng *valueRange) (float64, bool) {
	total := cur.Total()
	if total <= 0 {
		return 0, false
	}
	if sameBounds(ref.Bounds, cur.Bounds) && len(ref.Counts) == len(cur.Counts) {
		first, last := nonEmpty(ref.Counts)
		if first < 0 {
			return 0, false
		}
		out := 0.0
		for i, c := range cur.Counts {
			if i < first || i > last {
				out += c
			}
		}
		return out / total, true
	}
	if rng == nil {
		r, ok := rangeOf(ref)
		if !ok {
			return 0, false
		}
		rng = &r
	}
	out := 0.0
	for i, c := range cur.Counts {
		lo := math.Inf(-1)
		if i > 0 {
			lo = cur.Bounds[i-1]
		}
		if cur.Bounds[i] <= rng.Min || lo >= rng.Max {
			out += c
		}
	}
	return out / total, true
}

// unseen lists cur's categories that ref never saw, largest share first
// (ties by name), at most fleet.UnseenListed, and their total share.
func unseen(ref, cur drift.Categorical) ([]fleet.CategoryShare, *float64) {
	total := catTotal(cur)
	if total <= 0 {
		return nil, nil
	}
	var all []fleet.CategoryShare
	sum := 0.0
	for c, n := range cur {
		if n > 0 && !(ref[c] > 0) {
			all = append(all, fleet.CategoryShare{Category: c, Share: n / total})
			sum += n
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Share != all[j].Share {
			return all[i].Share > all[j].Share
		}
		return all[i].Category < all[j].Category
	})
	if len(all) > fleet.UnseenListed {
		all = all[:fleet.UnseenListed]
	}
	share := sum / total
	return all, &share
}
