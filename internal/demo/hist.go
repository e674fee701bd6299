package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// sampleCap bounds how many observations per histogram and tick are drawn
// one by one; the rest are spread over the buckets by their expected share,
// which keeps the simulation cheap at thousands of requests per second while
// _count still equals the number of predictions.
const sampleCap = 32

// histogram is the state behind one exported histogram (or summary, when it
// has no bounds).
type histogram struct {
	bounds []float64 // upper bounds, strictly increasing; +Inf is implicit
	counts []uint64  // per bucket (not cumulative), len(bounds)+1
	carry  []float64 // fractional counts owed to each bucket
	sum    float64
	count  uint64
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{
		bounds: slices.Clone(bounds),
		counts: make([]uint64, len(bounds)+1),
		carry:  make([]float64, len(bounds)+1),
	}
}

func (h *histogram) add(v float64) {
	h.counts[sort.SearchFloat64s(h.bounds, v)]++
	h.sum += v
	h.count++
}

// observeN records n observations drawn from d.
func (h *histogram) observeN(r *rand.Rand, d locScale, n uint64) {
	k := min(n, sampleCap)
	for range k {
		h.add(d.sample(r))
	}
	rest := n - k
	if rest == 0 {
		return
	}
	allocate(rest, d.bucketProbs(h.bounds), h.carry, h.counts)
	h.sum += float64(rest) * d.mean()
	h.count += rest
}

// cumulative returns the bucket counts in client_golang's form (upper bound
// to cumulative count, +Inf excluded).
func (h *histogram) cumulative() map[float64]uint64 {
	out := make(map[float64]uint64, len(h.bounds))
	var acc uint64
	for i, b := range h.bounds {
		acc += h.counts[i]
		out[b] = acc
	}
	return out
}

// categories counts categorical values.
type categories struct {
	names  []string
	counts []uint64
	carry  []float64
}

func newCategories(names []string) *categories {
	return &categories{
		names:  names,
		counts: make([]uint64, len(names)),
		carry:  make([]float64, len(names)),
	}
}

func (c *categories) observeN(r *rand.Rand, probs []float64, n uint64) {
	k := min(n, sampleCap)
	for range k {
		c.counts[pick(r, probs)]++
	}
	if n > k {
		allocate(n-k, probs, c.carry, c.counts)
	}
}

func pick(r *rand.Rand, probs []float64) int {
	u, acc := r.Float64(), 0.0
	for i, p := range probs {
		acc += p
		if u < acc {
			return i
		}
	}
	return len(probs) - 1
}

// allocate adds exactly n to out, split by probs, carrying rounding
// remainders into the next call so that long-run shares are exact.
func allocate(n uint64, probs, carry []float64, out []uint64) {
	want := make([]float64, len(probs))
	give := make([]uint64, len(probs))
	var given uint64
	for i, p := range probs {
		want[i] = float64(n)*p + carry[i]
		if want[i] > 0 {
			give[i] = uint64(math.Floor(want[i]))
		}
		given += give[i]
	}
	// Settle the difference on the buckets whose rounding was most unfair.
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	frac := func(i int) float64 { return want[i] - float64(give[i]) }
	sort.SliceStable(order, func(a, b int) bool { return frac(order[a]) > frac(order[b]) })
	for j := 0; given < n; j = (j + 1) % len(order) {
		give[order[j]]++
		given++
	}
	for j := len(order) - 1; given > n; j-- {
		if j < 0 {
			j = len(order) - 1
		}
		if i := order[j]; give[i] > 0 {
			give[i]--
			given--
		}
	}
	for i := range probs {
		carry[i] = want[i] - float64(give[i])
		out[i] += give[i]
	}
}
