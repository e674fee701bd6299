package abtest

import (
	"errors"
	"fmt"
	"math"
)

// Errors the tests return, wrapped with which side was at fault; test for
// them with errors.Is.
var (
	// ErrNoData: a side has no observations, so it has no rate.
	ErrNoData = errors.New("no observations")
	// ErrInvalid: a count is negative, not a number, infinite, or more
	// events than trials; or a parameter is out of its range.
	ErrInvalid = errors.New("invalid input")
)

// Count is X events (errors, correct predictions) out of N trials
// (requests, labels).
type Count struct{ X, N float64 }

// Rate is X/N; NaN when N is 0.
func (c Count) Rate() float64 {
	if c.N == 0 {
		return math.NaN()
	}
	return c.X / c.N
}

func (c Count) check(side string) error {
	switch {
	case !finite(c.X) || !finite(c.N) || c.X < 0 || c.N < 0:
		return fmt.Errorf("%s: %g of %g: %w", side, c.X, c.N, ErrInvalid)
	case c.X > c.N:
		return fmt.Errorf("%s: %g events of %g trials: %w", side, c.X, c.N, ErrInvalid)
	case c.N == 0:
		return fmt.Errorf("%s: %w", side, ErrNoData)
	}
	return nil
}

func checkPair(base, cand Count) error {
	if err := base.check("baseline"); err != nil {
		return err
	}
	return cand.check("candidate")
}

func checkAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return fmt.Errorf("alpha %g is not in (0, 1): %w", alpha, ErrInvalid)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// zQuantile is the standard normal quantile Φ⁻¹(p).
func zQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// normalSF is 1 − Φ(x).
func normalSF(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) }

// ZTwoSided is the normal quantile of a two-sided interval at level
// 1 − alpha: 1.96 for alpha .05.
func ZTwoSided(alpha float64) float64 { return zQuantile(1 - alpha/2) }

// LookAlpha is the alpha one look may spend when a per-look test is
// watched `looks` times (Bonferroni): the chance of any false alarm over
// those looks stays at most alpha. looks below 1 count as 1.
func LookAlpha(alpha float64, looks int) float64 {
	if looks < 1 {
		looks = 1
	}
	return alpha / float64(looks)
}
