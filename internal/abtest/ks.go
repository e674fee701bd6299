package abtest

import (
	"fmt"
	"math"

	"github.com/mltop/mltop/internal/drift"
)

// KS is the two-sample Kolmogorov–Smirnov comparison of two latency
// histograms.
type KS struct {
	// D is the largest gap between the two empirical CDFs at the shared
	// bucket bounds.
	D float64
	// Gap is that gap signed, candidate CDF minus baseline CDF, at the
	// bound where it is largest: negative means fewer of the candidate's
	// requests finish by that bound (the candidate is slower there).
	Gap float64
	// At is the bound where the gap is largest.
	At float64
	// PValue is the asymptotic Kolmogorov p-value for D with
	// n·m/(n+m) (drift.KolmogorovSmirnov). It holds for one look.
	PValue float64
	// N and M are the baseline's and the candidate's request counts.
	N, M float64
}

// KSCumulative compares two cumulative histograms (Prometheus `_bucket`
// increases) over the same bounds, ascending and ending in +Inf.
func KSCumulative(bounds, base, cand []float64) (KS, error) {
	b, err := drift.FromCumulative(bounds, base)
	if err != nil {
		return KS{}, fmt.Errorf("ks: baseline histogram: %w", err)
	}
	c, err := drift.FromCumulative(bounds, cand)
	if err != nil {
		return KS{}, fmt.Errorf("ks: candidate histogram: %w", err)
	}
	d, p, err := drift.KolmogorovSmirnov(b, c)
	if err != nil {
		return KS{}, fmt.Errorf("ks: %w", err)
	}
	out := KS{D: d, PValue: p, N: b.Total(), M: c.Total(), At: math.NaN()}
	cb, cc := 0.0, 0.0
	for i := range b.Counts {
		cb += b.Counts[i]
		cc += c.Counts[i]
		if g := cc/out.M - cb/out.N; math.Abs(g) > math.Abs(out.Gap) {
			out.Gap, out.At = g, bounds[i]
		}
	}
	return out, nil
}
