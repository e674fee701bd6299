package abtest

import (
	"fmt"
	"math"
)

// DefaultTau is the standard deviation of the normal mixture over the
// difference of two error rates: one percentage point. The mSPRT is valid
// for any τ; it is most powerful for differences near τ, and a rollout
// should catch a candidate that fails one more request in a hundred.
const DefaultTau = 0.01

// Sequential is the outcome of the always-valid two-proportion test.
type Sequential struct {
	// Diff is the candidate's rate minus the baseline's.
	Diff float64
	// Variance is Diff's estimated variance.
	Variance float64
	// Lambda is the mixture likelihood ratio against "no difference".
	Lambda float64
	// PValue is min(1, 1/Lambda): always valid, so it may be read after
	// every refresh without inflating false alarms.
	PValue float64
	// Interval is the always-valid 1 − alpha confidence interval of Diff:
	// the differences θ whose own mixture ratio stays below 1/alpha.
	Interval [2]float64
}

// MixtureRatio is the mSPRT's normal-mixture likelihood ratio for an
// estimate diff with variance v of a difference whose null value is 0,
// mixing over alternatives θ ~ N(0, τ²) (Johari, Pekelis, Walsh, "Always
// valid inference"):
//
//	Λ = √(V/(V+τ²)) · exp(τ²·θ̂² / (2V(V+τ²)))
//
// It returns +Inf when Λ overflows and NaN for invalid input.
func MixtureRatio(diff, v, tau float64) float64 {
	return math.Exp(logMixtureRatio(diff, v, tau))
}

func logMixtureRatio(diff, v, tau float64) float64 {
	if !finite(diff) || !(v > 0) || !finite(v) || !(tau > 0) || !finite(tau) {
		return math.NaN()
	}
	t2 := tau * tau
	return 0.5*math.Log(v/(v+t2)) + t2*diff*diff/(2*v*(v+t2))
}

// MSPRT compares the candidate's error rate with the baseline's by the
// mixture sequential probability ratio test. Under "no difference" the
// chance that Λ ever reaches 1/alpha, however often it is looked at, is
// at most alpha (Ville's inequality; normal approximation of the rates).
//
// The variance uses each rate shrunk by half an event, (x+½)/(n+1), so
// that zero errors on both sides still have a spread and are not
// "infinitely sure" to be equal.
func MSPRT(base, cand Count, tau, alpha float64) (Sequential, error) {
	if err := checkPair(base, cand); err != nil {
		return Sequential{}, fmt.Errorf("msprt: %w", err)
	}
	if err := checkAlpha(alpha); err != nil {
		return Sequential{}, fmt.Errorf("msprt: %w", err)
	}
	if !(tau > 0) || !finite(tau) {
		return Sequential{}, fmt.Errorf("msprt: tau %g: %w", tau, ErrInvalid)
	}
	diff := cand.Rate() - base.Rate()
	v := shrunkVariance(base) + shrunkVariance(cand)
	logL := logMixtureRatio(diff, v, tau)
	s := Sequential{Diff: diff, Variance: v, Lambda: math.Exp(logL), PValue: math.Min(1, math.Exp(-logL))}
	// |θ̂−θ| < √(2V(V+τ²)/τ² · (ln(1/α) + ½ ln((V+τ²)/V)))
	t2 := tau * tau
	half := math.Sqrt(2 * v * (v + t2) / t2 * (math.Log(1/alpha) + 0.5*math.Log((v+t2)/v)))
	s.Interval = [2]float64{math.Max(-1, diff-half), math.Min(1, diff+half)}
	return s, nil
}

// shrunkVariance is the variance of a rate, its estimate moved half an
// event toward ½.
func shrunkVariance(c Count) float64 {
	p := (c.X + 0.5) / (c.N + 1)
	return p * (1 - p) / c.N
}
