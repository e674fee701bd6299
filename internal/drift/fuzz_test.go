package drift

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// decodeSides turns fuzz bytes into bounds and two count vectors. In raw
// mode values are arbitrary float64 bit patterns (huge, subnormal, NaN,
// negative); otherwise small integers, as real counters are.
func decodeSides(data []byte, raw bool) (bounds, ref, cur []float64) {
	if len(data) == 0 {
		return []float64{math.Inf(1)}, []float64{0}, []float64{0}
	}
	k := 1 + int(data[0])%24
	data = data[1:]
	next := func() float64 {
		if raw {
			if len(data) < 8 {
				return 0
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(data))
			data = data[8:]
			return v
		}
		if len(data) < 2 {
			return 0
		}
		v := float64(binary.LittleEndian.Uint16(data) % 2000)
		data = data[2:]
		return v
	}
	ref, cur = make([]float64, k), make([]float64, k)
	for i := range k {
		ref[i], cur[i] = next(), next()
	}
	// Bounds climb by |step| (plus an offset), so they are usually valid.
	bounds = make([]float64, k)
	x := next() - 1000
	for i := range k - 1 {
		bounds[i] = x
		x += math.Abs(next()) + 0.5
	}
	bounds[k-1] = math.Inf(1)
	return bounds, ref, cur
}

func valid(counts []float64) bool {
	for _, c := range counts {
		if !(c >= 0) || math.IsInf(c, 1) {
			return false
		}
	}
	return true
}

func FuzzStatistics(f *testing.F) {
	f.Add([]byte{5, 10, 0, 20, 0, 30, 0, 40, 0, 50, 0, 60, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0}, false)
	f.Add([]byte{0, 1, 0, 0, 0}, false)
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0}, true)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		bounds, ref, cur := decodeSides(data, raw)
		stats := allStats(bounds, ref, cur)
		inputsOK := valid(ref) && valid(cur)
		for name, res := range stats {
			if res.err != nil {
				// Small integer counts on valid bounds fail only for a reason.
				if !raw && inputsOK && !errors.Is(res.err, ErrEmpty) &&
					!errors.Is(res.err, ErrUnseenCategory) && !errors.Is(res.err, ErrNotApplicable) {
					t.Fatalf("%s(%v, %v, %v): %v", name, bounds, ref, cur, res.err)
				}
				continue
			}
			if !inputsOK {
				t.Fatalf("%s accepted invalid counts %v / %v", name, ref, cur)
			}
			for _, v := range res.v {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s(%v, %v, %v) = %v without an error", name, bounds, ref, cur, res.v)
				}
			}
			switch name {
			case "ks", "chisquare", "z": // statistic, p-value
				if p := res.v[1]; p < 0 || p > 1 {
					t.Fatalf("%s p-value %g", name, p)
				}
			case "hellinger", "js_2":
				if v := res.v[0]; v < 0 || v > 1+1e-15 {
					t.Fatalf("%s = %g outside [0, 1]", name, v)
				}
			case "psi", "kl", "js_e", "wasserstein":
				if res.v[0] < 0 {
					t.Fatalf("%s = %g < 0", name, res.v[0])
				}
			}
		}
		for _, m := range []string{Auto, PSI, KS, JensenShann, Wasserstein, Hellinger, ChiSquare, KLDiv, Z} {
			r, err := Compute(m, Binned{bounds, ref}, Binned{bounds, cur}, 0)
			if err == nil && (math.IsNaN(r.Score) || math.IsInf(r.Score, 0) || math.IsNaN(r.Statistic)) {
				t.Fatalf("Compute(%s) = %+v", m, r)
			}
		}
	})
}

func FuzzCategorical(f *testing.F) {
	f.Add([]byte("a\x05b\x07c\x00|a\x01d\x09"))
	f.Add([]byte("x\x00|y\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// name byte, count byte pairs; '|' switches to the current side.
		ref, cur := Categorical{}, Categorical{}
		side := ref
		for i := 0; i+1 < len(data); i += 2 {
			if data[i] == '|' {
				side = cur
				i--
				continue
			}
			side[string(data[i:i+1])] += float64(data[i+1])
		}
		for _, m := range []string{Auto, PSI, JensenShann, Hellinger, ChiSquare, KLDiv, Z, KS} {
			r, err := ComputeCategorical(m, ref, cur, 0)
			if err != nil {
				continue
			}
			if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) || math.IsNaN(r.Statistic) {
				t.Fatalf("ComputeCategorical(%s, %v, %v) = %+v", m, ref, cur, r)
			}
			if r.PValue != nil && (*r.PValue < 0 || *r.PValue > 1) {
				t.Fatalf("%s p-value %g", m, *r.PValue)
			}
		}
	})
}

func FuzzFromCumulative(f *testing.F) {
	f.Add([]byte{3, 1, 0, 5, 0, 4, 0}, []byte{3, 2, 0, 7, 0, 9, 0})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		bounds, cumA, _ := decodeSides(a, false)
		_, cumB, _ := decodeSides(b, false)
		cumB = append(cumB, make([]float64, max(0, len(cumA)-len(cumB)))...)[:len(cumA)]
		x, errA := FromCumulative(bounds, cumA)
		y, errB := FromCumulative(bounds, cumB)
		if errA != nil || errB != nil {
			return
		}
		// No bucket is negative, and the total is the largest cumulative value.
		top := 0.0
		for _, c := range cumA {
			top = math.Max(top, c)
		}
		if x.Validate() != nil || x.Total() != top {
			t.Fatalf("FromCumulative(%v, %v) = %v (total %g, want %g)", bounds, cumA, x.Counts, x.Total(), top)
		}
		w, err := Subtract(y, x)
		if err != nil {
			if !errors.Is(err, ErrCounterReset) {
				t.Fatalf("Subtract: %v", err)
			}
			return
		}
		for i := range w.Counts {
			if w.Counts[i] < 0 || w.Counts[i]+x.Counts[i] != y.Counts[i] {
				t.Fatalf("Subtract bucket %d: %g + %g != %g", i, w.Counts[i], x.Counts[i], y.Counts[i])
			}
		}
	})
}
