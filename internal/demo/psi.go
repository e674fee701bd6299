package demo

import "math"

// psi is the population stability index of current (q) against reference
// (p) shares, with Evidently's rule for empty buckets so the scores read
// like those of a real drift job.
func psi(p, q []float64) float64 {
	p, q = fillZeros(p), fillZeros(q)
	s := 0.0
	for i := range p {
		s += (p[i] - q[i]) * math.Log(p[i]/q[i])
	}
	return s
}

// fillZeros replaces zero shares by min_nonzero/1e6 when the smallest
// non-zero share is at most 1e-4, else by 1e-4 (Evidently), without
// renormalising.
func fillZeros(p []float64) []float64 {
	smallest := math.Inf(1)
	for _, v := range p {
		if v > 0 {
			smallest = math.Min(smallest, v)
		}
	}
	fill := 1e-4
	if smallest <= 1e-4 {
		fill = smallest / 1e6
	}
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = v
		if v <= 0 {
			out[i] = fill
		}
	}
	return out
}

// jensenShannon is the Jensen-Shannon distance (natural log), the square
// root of the divergence, as scipy and Evidently report it.
func jensenShannon(p, q []float64) float64 {
	d := 0.0
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			d += p[i] * math.Log(p[i]/m) / 2
		}
		if q[i] > 0 {
			d += q[i] * math.Log(q[i]/m) / 2
		}
	}
	return math.Sqrt(math.Max(d, 0))
}

// normalise scales p to sum to one.
func normalise(p []float64) []float64 {
	s := 0.0
	for _, v := range p {
		s += v
	}
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = v / s
	}
	return out
}
