package drift

import (
	"fmt"
	"math"
	"sort"
)

// Binned is a numeric distribution in Prometheus histogram buckets.
type Binned struct {
	// Bounds are the buckets' upper bounds (Prometheus `le`): finite,
	// strictly increasing, and the last one +Inf.
	Bounds []float64
	// Counts are observations per bucket, not cumulative.
	Counts []float64
}

// Validate checks the bucket layout and the counts.
func (b Binned) Validate() error {
	if err := checkBounds(b.Bounds); err != nil {
		return err
	}
	if len(b.Counts) != len(b.Bounds) {
		return fmt.Errorf("%d counts for %d bounds: %w", len(b.Counts), len(b.Bounds), ErrLength)
	}
	for i, c := range b.Counts {
		if !(c >= 0) || math.IsInf(c, 1) {
			return fmt.Errorf("bucket %d = %g: %w", i, c, ErrCount)
		}
	}
	return nil
}

// Total is the number of observations.
func (b Binned) Total() float64 {
	t := 0.0
	for _, c := range b.Counts {
		t += c
	}
	return t
}

func checkBounds(bounds []float64) error {
	if len(bounds) == 0 {
		return fmt.Errorf("no buckets: %w", ErrBounds)
	}
	last := len(bounds) - 1
	if !math.IsInf(bounds[last], 1) {
		return fmt.Errorf("last bound %g is not +Inf: %w", bounds[last], ErrBounds)
	}
	for i := 0; i < last; i++ {
		if math.IsNaN(bounds[i]) || math.IsInf(bounds[i], 0) {
			return fmt.Errorf("bound %d = %g: %w", i, bounds[i], ErrBounds)
		}
		if i > 0 && !(bounds[i] > bounds[i-1]) {
			return fmt.Errorf("bound %d (%g) not above bound %d (%g): %w", i, bounds[i], i-1, bounds[i-1], ErrBounds)
		}
	}
	return nil
}

// sameBounds checks that two distributions were bucketed identically, which
// every method needs to line their buckets up, and that each has one count
// per bucket. Counts themselves are checked by the statistics.
func sameBounds(ref, cur Binned) error {
	if len(ref.Counts) != len(ref.Bounds) || len(cur.Counts) != len(cur.Bounds) {
		return fmt.Errorf("%d and %d counts for %d and %d bounds: %w", len(ref.Counts), len(cur.Counts), len(ref.Bounds), len(cur.Bounds), ErrLength)
	}
	if len(ref.Bounds) != len(cur.Bounds) {
		return fmt.Errorf("reference has %d buckets, current %d: %w", len(ref.Bounds), len(cur.Bounds), ErrLength)
	}
	if len(ref.Bounds) > 0 && &ref.Bounds[0] == &cur.Bounds[0] {
		return checkBounds(ref.Bounds) // one shared slice: the common case
	}
	for i := range ref.Bounds {
		if ref.Bounds[i] != cur.Bounds[i] {
			return fmt.Errorf("bound %d: reference %g, current %g: %w", i, ref.Bounds[i], cur.Bounds[i], ErrBounds)
		}
	}
	return checkBounds(ref.Bounds)
}

// SortBuckets sorts bucket series read in arbitrary order (as PromQL returns
// them) by upper bound, keeping each value with its bound.
func SortBuckets(bounds, values []float64) {
	n := min(len(bounds), len(values))
	if n > 32 {
		sort.Sort(bucketPairs{bounds, values})
		return
	}
	// Histograms have a few dozen buckets at most: insertion sort, in
	// place and without the interface's allocation.
	for i := 1; i < n; i++ {
		b, v := bounds[i], values[i]
		j := i
		for ; j > 0 && bounds[j-1] > b; j-- {
			bounds[j], values[j] = bounds[j-1], values[j-1]
		}
		bounds[j], values[j] = b, v
	}
}

type bucketPairs struct{ b, v []float64 }

func (p bucketPairs) Len() int           { return min(len(p.b), len(p.v)) }
func (p bucketPairs) Less(i, j int) bool { return p.b[i] < p.b[j] }
func (p bucketPairs) Swap(i, j int) {
	p.b[i], p.b[j] = p.b[j], p.b[i]
	p.v[i], p.v[j] = p.v[j], p.v[i]
}

// FromCumulative turns Prometheus `_bucket` values (cumulative counts, sorted
// by bound, last bound +Inf) into per-bucket counts.
//
// Buckets are not read atomically and rate/increase extrapolate each series on
// its own, so cumulative values can dip slightly; like Prometheus's
// histogram_quantile, each value is raised to the running maximum before
// differencing, so no bucket is negative. NaN, infinite or negative values
// are errors.
func FromCumulative(bounds, cumulative []float64) (Binned, error) {
	if len(bounds) != len(cumulative) {
		return Binned{}, fmt.Errorf("%d bounds, %d cumulative counts: %w", len(bounds), len(cumulative), ErrLength)
	}
	if err := checkBounds(bounds); err != nil {
		return Binned{}, err
	}
	counts := make([]float64, len(cumulative))
	prev := 0.0
	for i, c := range cumulative {
		if !(c >= 0) || math.IsInf(c, 1) {
			return Binned{}, fmt.Errorf("cumulative bucket le=%g = %g: %w", bounds[i], c, ErrCount)
		}
		if c > prev {
			counts[i] = c - prev
			prev = c
		}
	}
	return Binned{Bounds: append([]float64(nil), bounds...), Counts: counts}, nil
}

// Subtract gives the observations made between two readings of the same
// histogram: now − earlier, bucket by bucket.
//
// A bucket that went down means the process restarted in between, and the
// difference would mix two lifetimes; that is ErrCounterReset rather than a
// guess. Callers that want Prometheus's increase() behaviour can fall back to
// `now` alone (the counts since the restart).
func Subtract(now, earlier Binned) (Binned, error) {
	if err := sameBounds(now, earlier); err != nil {
		return Binned{}, fmt.Errorf("subtract histograms: %w", err)
	}
	if err := now.Validate(); err != nil {
		return Binned{}, fmt.Errorf("later reading: %w", err)
	}
	if err := earlier.Validate(); err != nil {
		return Binned{}, fmt.Errorf("earlier reading: %w", err)
	}
	counts := make([]float64, len(now.Counts))
	for i := range counts {
		d := now.Counts[i] - earlier.Counts[i]
		if d < 0 {
			return Binned{}, fmt.Errorf("bucket le=%g went from %g to %g: %w", now.Bounds[i], earlier.Counts[i], now.Counts[i], ErrCounterReset)
		}
		counts[i] = d
	}
	return Binned{Bounds: append([]float64(nil), now.Bounds...), Counts: counts}, nil
}
