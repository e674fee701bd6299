package judge

import (
	"math"
	"sort"

	"github.com/mltop/mltop/internal/fleet"
)

// alignBuckets gives the shared bounds and both cumulative counts; ok is
// false when the bounds differ.
func alignBuckets(b, c []fleet.Bucket) (bounds, cb, cc []float64, ok bool) {
	if len(b) != len(c) || len(b) == 0 {
		return nil, nil, nil, false
	}
	for i := range b {
		if b[i].Le != c[i].Le {
			return nil, nil, nil, false
		}
		bounds = append(bounds, b[i].Le)
		cb = append(cb, b[i].Count)
		cc = append(cc, c[i].Count)
	}
	return bounds, cb, cc, true
}

// shareAt is the cumulative share of requests at bound le.
func shareAt(cum, bounds []float64, le float64) float64 {
	total := cum[len(cum)-1]
	for i, b := range bounds {
		if b == le && total > 0 {
			return cum[i] / total
		}
	}
	return math.NaN()
}

// histQuantile is the q-quantile of a cumulative histogram, interpolated
// linearly within its bucket as Prometheus's histogram_quantile does; nil
// without observations.
func histQuantile(q float64, h []fleet.Bucket) *float64 {
	if len(h) < 2 || !(h[len(h)-1].Count > 0) {
		return nil
	}
	rank := q * h[len(h)-1].Count
	i := sort.Search(len(h), func(i int) bool { return h[i].Count >= rank })
	if i >= len(h)-1 {
		return fptr(h[len(h)-2].Le)
	}
	lo, below := 0.0, 0.0
	if i > 0 {
		lo, below = h[i-1].Le, h[i-1].Count
	}
	if h[i].Count == below {
		return fptr(h[i].Le)
	}
	return fptr(lo + (h[i].Le-lo)*(rank-below)/(h[i].Count-below))
}
