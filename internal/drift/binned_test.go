package drift

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

var promBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, math.Inf(1)}

// exposition is what a Prometheus client exports for these observations: per
// bound, the number of observations ≤ it (`_bucket{le=...}`).
func exposition(bounds, obs []float64) []float64 {
	cum := make([]float64, len(bounds))
	for i, le := range bounds {
		for _, o := range obs {
			if o <= le {
				cum[i]++
			}
		}
	}
	return cum
}

// perBucket counts observations per bucket directly, by search.
func perBucket(bounds, obs []float64) []float64 {
	counts := make([]float64, len(bounds))
	for _, o := range obs {
		counts[sort.SearchFloat64s(bounds, o)]++
	}
	return counts
}

func TestFromCumulativeMatchesDirectCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	obs := make([]float64, 5000)
	for i := range obs {
		obs[i] = rng.ExpFloat64() * 0.3
	}
	b, err := FromCumulative(promBounds, exposition(promBounds, obs))
	if err != nil {
		t.Fatal(err)
	}
	if want := perBucket(promBounds, obs); !slices.Equal(b.Counts, want) {
		t.Errorf("per-bucket counts %v, want %v", b.Counts, want)
	}
	if b.Total() != float64(len(obs)) {
		t.Errorf("total %g, want %d", b.Total(), len(obs))
	}
	if err := b.Validate(); err != nil {
		t.Error(err)
	}
}

func TestFromCumulativeRepairsSkew(t *testing.T) {
	inf := math.Inf(1)
	// rate() over each bucket series extrapolates separately: 5 then 4.9.
	b, err := FromCumulative([]float64{1, 2, 3, inf}, []float64{2, 5, 4.9, 9})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{2, 3, 0, 4}; !slices.Equal(b.Counts, want) {
		t.Errorf("counts %v, want %v (running maximum, as histogram_quantile)", b.Counts, want)
	}
}

func TestFromCumulativeRejectsBadInput(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name   string
		bounds []float64
		cum    []float64
		want   error
	}{
		{"lengths", []float64{1, inf}, []float64{1, 2, 3}, ErrLength},
		{"unsorted", []float64{2, 1, inf}, []float64{1, 2, 3}, ErrBounds},
		{"no +Inf", []float64{1, 2}, []float64{1, 2}, ErrBounds},
		{"NaN count", []float64{1, inf}, []float64{math.NaN(), 2}, ErrCount},
		{"negative count", []float64{1, inf}, []float64{-1, 2}, ErrCount},
		{"empty", nil, nil, ErrBounds},
	}
	for _, c := range cases {
		if _, err := FromCumulative(c.bounds, c.cum); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestFromCumulativeCopiesBounds(t *testing.T) {
	bounds := []float64{1, math.Inf(1)}
	b, err := FromCumulative(bounds, []float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	bounds[0] = 99
	if b.Bounds[0] != 1 {
		t.Error("result shares the caller's bounds slice")
	}
}

func TestSortBuckets(t *testing.T) {
	inf := math.Inf(1)
	bounds := []float64{inf, 0.5, 0.1, 1}
	vals := []float64{10, 6, 2, 8}
	SortBuckets(bounds, vals)
	if !slices.Equal(bounds, []float64{0.1, 0.5, 1, inf}) || !slices.Equal(vals, []float64{2, 6, 8, 10}) {
		t.Errorf("sorted to %v / %v", bounds, vals)
	}
}

// TestSortBucketsAnyLength: short and long inputs (two ways of sorting)
// in random order come out sorted, each value still with its bound.
func TestSortBucketsAnyLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 20, 32, 33, 200} {
		bounds := make([]float64, n)
		for i := range bounds {
			bounds[i] = float64(i) / 10
		}
		rng.Shuffle(n, func(i, j int) { bounds[i], bounds[j] = bounds[j], bounds[i] })
		vals := make([]float64, n)
		for i, b := range bounds {
			vals[i] = b * 7
		}
		SortBuckets(bounds, vals)
		if !slices.IsSorted(bounds) {
			t.Errorf("%d buckets: not sorted: %v", n, bounds)
		}
		for i := range bounds {
			if vals[i] != bounds[i]*7 {
				t.Fatalf("%d buckets: value %g went with bound %g", n, vals[i], bounds[i])
			}
		}
	}
}

func TestSubtractGivesTheWindow(t *testing.T) {
	// Two scrapes of the same process: the window holds what came between.
	rng := rand.New(rand.NewPCG(3, 4))
	var obs []float64
	for range 800 {
		obs = append(obs, rng.NormFloat64()*0.2+0.6)
	}
	earlier, err := FromCumulative(promBounds, exposition(promBounds, obs[:300]))
	if err != nil {
		t.Fatal(err)
	}
	now, err := FromCumulative(promBounds, exposition(promBounds, obs))
	if err != nil {
		t.Fatal(err)
	}
	window, err := Subtract(now, earlier)
	if err != nil {
		t.Fatal(err)
	}
	if want := perBucket(promBounds, obs[300:]); !slices.Equal(window.Counts, want) {
		t.Errorf("window %v, want %v", window.Counts, want)
	}
}

func TestSubtractCounterReset(t *testing.T) {
	inf := math.Inf(1)
	before := Binned{[]float64{1, inf}, []float64{50, 10}}
	after := Binned{[]float64{1, inf}, []float64{3, 12}} // restarted: bucket 0 went down
	if _, err := Subtract(after, before); !errors.Is(err, ErrCounterReset) {
		t.Errorf("err = %v, want ErrCounterReset", err)
	}
	other := Binned{[]float64{2, inf}, []float64{60, 12}}
	if _, err := Subtract(other, before); !errors.Is(err, ErrBounds) {
		t.Errorf("different bounds: err = %v, want ErrBounds", err)
	}
	short := Binned{[]float64{inf}, []float64{60}}
	if _, err := Subtract(short, before); !errors.Is(err, ErrLength) {
		t.Errorf("different bucket counts: err = %v, want ErrLength", err)
	}
}
