package drift

import (
	"errors"
	"fmt"
	"math"
)

// Result is one drift judgement.
type Result struct {
	Method string // canonical method name
	// Score is what the threshold is compared with, as in Evidently: the
	// p-value for ks, chisquare and z (drift when below), otherwise the
	// distance or divergence itself (drift when at or above).
	Score float64
	// Statistic is the test statistic behind a p-value (KS D, χ², z); for
	// the other methods it equals Score. For chisquare with a category the
	// reference never saw it is +Inf (and Score 0).
	Statistic float64
	PValue    *float64 // set for p-value methods only
	Threshold float64
	Drifted   bool
}

// Compute judges drift between two histograms with the same buckets.
// method is a name or alias accepted by Canonical, or Auto for
// ChooseMethod's pick (cardinality unknown, so ks or wasserstein).
// threshold ≤ 0 (or NaN) means the method's default. chisquare and z treat
// the buckets as categories.
func Compute(method string, ref, cur Binned, threshold float64) (Result, error) {
	m := Canonical(method)
	if m == Auto {
		m = ChooseMethod(true, ref.Total(), 0)
	}
	if err := sameBounds(ref, cur); err != nil {
		return Result{}, fmt.Errorf("%s: %w", m, err)
	}
	switch m {
	case KS:
		d, p, err := KolmogorovSmirnov(ref, cur)
		return judge(m, d, &p, threshold, err)
	case Wasserstein:
		w, err := WassersteinNormed(ref, cur)
		return judge(m, w, nil, threshold, err)
	}
	return computeCounts(m, ref.Counts, cur.Counts, threshold)
}

// ComputeCategorical judges drift between two categorical distributions,
// aligned as in Align. Auto picks by ChooseMethod with the number of
// categories seen; ks and wasserstein need ordered buckets and are
// ErrNotApplicable here.
func ComputeCategorical(method string, ref, cur Categorical, threshold float64) (Result, error) {
	_, r, c := Align(ref, cur)
	m := Canonical(method)
	if m == Auto {
		refSize := 0.0
		for _, v := range r {
			refSize += v
		}
		m = ChooseMethod(false, refSize, len(r))
	}
	if m == KS || m == Wasserstein {
		return Result{}, fmt.Errorf("%s on categories: %w", m, ErrNotApplicable)
	}
	return computeCounts(m, r, c, threshold)
}

// computeCounts runs the methods that only need aligned counts.
func computeCounts(m string, ref, cur []float64, threshold float64) (Result, error) {
	switch m {
	case PSI:
		v, err := PopulationStabilityIndex(ref, cur)
		return judge(m, v, nil, threshold, err)
	case JensenShann:
		v, err := JensenShannon(ref, cur, DefaultJSBase)
		return judge(m, v, nil, threshold, err)
	case Hellinger:
		v, err := HellingerDistance(ref, cur)
		return judge(m, v, nil, threshold, err)
	case KLDiv:
		v, err := KLDivergence(ref, cur)
		return judge(m, v, nil, threshold, err)
	case ChiSquare:
		s, p, err := ChiSquareTest(ref, cur)
		if errors.Is(err, ErrUnseenCategory) {
			// A brand-new category is drift beyond doubt: scipy's answer
			// (infinite statistic, p-value 0) rather than a failure.
			s, p, err = math.Inf(1), 0, nil
		}
		return judge(m, s, &p, threshold, err)
	case Z:
		z, p, err := ZTest(ref, cur)
		return judge(m, z, &p, threshold, err)
	case KS, Wasserstein:
		return Result{}, fmt.Errorf("%s needs bucket bounds: %w", m, ErrNotApplicable)
	}
	return Result{}, fmt.Errorf("%q: %w", m, ErrUnknownMethod)
}

// judge builds a Result; pvalue is nil for distance methods.
func judge(m string, stat float64, pvalue *float64, threshold float64, err error) (Result, error) {
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", m, err)
	}
	if !(threshold > 0) {
		threshold, _ = DefaultThreshold(m)
	}
	r := Result{Method: m, Score: stat, Statistic: stat, Threshold: threshold}
	if pvalue != nil {
		p := *pvalue
		r.Score, r.PValue = p, &p
	}
	r.Drifted = Drifted(m, r.Score, threshold)
	return r, nil
}

// DatasetDrift is Evidently's dataset verdict: drift when the share of
// drifted features is at least share (Evidently's default 0.5). No features
// is no drift.
func DatasetDrift(results []Result, share float64) bool {
	if len(results) == 0 {
		return false
	}
	drifted := 0
	for _, r := range results {
		if r.Drifted {
			drifted++
		}
	}
	// A ratio, as Evidently computes it: share·n can round above an integer
	// (0.3·10 = 3.0000000000000004) and miss the boundary.
	return float64(drifted)/float64(len(results)) >= share
}
