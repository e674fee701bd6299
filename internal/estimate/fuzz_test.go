package estimate

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzCBPE: whatever the counts, CBPE does not panic, every value is in
// [0, 1], every standard error is a number ≥ 0, and an estimate is either
// given or said to be unavailable, never both.
func FuzzCBPE(f *testing.F) {
	f.Add([]byte{10, 100, 10, 20, 100, 30, 30, 100, 60, 40, 100, 90, 0, 0, 0}, uint8(1))
	f.Add([]byte{0, 0, 0, 5, 0, 0}, uint8(0))
	f.Add([]byte{255, 1, 255, 0, 0, 0, 7, 7, 9}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		k := len(data) / 3
		if k == 0 || k > 64 {
			return
		}
		in := Input{Bounds: make([]float64, k), Predictions: make([]float64, k), Labelled: make([]float64, k), Positive: make([]float64, k)}
		for i := range k {
			in.Bounds[i] = float64(i+1) / float64(k)
			in.Predictions[i] = float64(data[3*i])
			in.Labelled[i] = float64(data[3*i+1])
			in.Positive[i] = float64(data[3*i+2]) * float64(data[3*i+1]) / 255
		}
		if k > 1 && data[0]%2 == 1 {
			in.Bounds[k-1] = math.Inf(1)
		}
		in.Threshold = in.Bounds[int(split)%k]
		check(t, CBPE(in))
	})
}

// FuzzCBPERaw feeds arbitrary float64s, NaN and infinities included.
func FuzzCBPERaw(f *testing.F) {
	f.Add(make([]byte, 8*4*3), 0.5)
	f.Fuzz(func(t *testing.T, data []byte, threshold float64) {
		k := len(data) / 32
		if k == 0 || k > 32 {
			return
		}
		in := Input{Bounds: make([]float64, k), Predictions: make([]float64, k), Labelled: make([]float64, k), Positive: make([]float64, k), Threshold: threshold}
		for i := range k {
			f := func(j int) float64 {
				return math.Float64frombits(binary.LittleEndian.Uint64(data[32*i+8*j:]))
			}
			in.Bounds[i], in.Predictions[i], in.Labelled[i], in.Positive[i] = f(0), f(1), f(2), f(3)
		}
		check(t, CBPE(in))
	})
}

func check(t *testing.T, r Result) {
	t.Helper()
	if r.Unavailable != "" && len(r.Metrics) > 0 {
		t.Fatalf("unavailable (%s) with metrics %+v", r.Unavailable, r.Metrics)
	}
	if !(r.ECE >= 0 && r.ECE <= 1) || !(r.Labels >= 0) {
		t.Fatalf("ECE %v, labels %v", r.ECE, r.Labels)
	}
	for _, m := range r.Metrics {
		if !(m.Value >= 0 && m.Value <= 1) {
			t.Fatalf("%s = %v", m.Name, m.Value)
		}
		if !(m.StdError >= 0) || math.IsInf(m.StdError, 0) {
			t.Fatalf("%s standard error %v", m.Name, m.StdError)
		}
	}
}
