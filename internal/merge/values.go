package merge

import (
	"math"

	"github.com/prometheus/common/model"
)

// How sample values become snapshot values: unknown stays nil.

func known(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// num returns a pointer to v, or nil when v is NaN or infinite: unknown, not 0.
func (b *builder) num(v model.SampleValue) *float64 {
	f := float64(v)
	if !known(f) {
		return nil
	}
	return b.nums.ptr(f)
}

// intValue converts a step count; unknown or absurd values are nil.
func intValue(v model.SampleValue) *int {
	f := math.Round(float64(v))
	if !known(f) || f < 0 || f > 1e9 {
		return nil
	}
	n := int(f)
	return &n
}

func copyStrings(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyFloats(m map[string]float64) map[string]float64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// floats hands out pointers into shared chunks, so that merging a large
// fleet costs one allocation per chunk rather than one per number.
type floats struct{ chunk []float64 }

func (f *floats) ptr(v float64) *float64 {
	if len(f.chunk) == cap(f.chunk) {
		f.chunk = make([]float64, 0, 512)
	}
	f.chunk = append(f.chunk, v)
	return &f.chunk[len(f.chunk)-1]
}
