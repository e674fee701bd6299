package drift

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by the statistics, wrapped with which side or bucket was at
// fault; test for them with errors.Is.
var (
	// ErrEmpty: a distribution has no observations (its counts sum to zero),
	// so it has no shares and no statistic is defined.
	ErrEmpty = errors.New("distribution has no observations")
	// ErrLength: the two sides, or bounds and counts, differ in length.
	ErrLength = errors.New("lengths differ")
	// ErrCount: a count is negative, NaN or infinite.
	ErrCount = errors.New("count is negative, NaN or infinite")
	// ErrBounds: bucket bounds are not strictly increasing finite numbers
	// ending in +Inf, or the two sides use different bounds.
	ErrBounds = errors.New("invalid bucket bounds")
	// ErrCounterReset: a counter went down between two readings.
	ErrCounterReset = errors.New("counter reset")
	// ErrUnseenCategory: the current data has a category the reference never
	// saw, so chi-square's expected frequency is zero and its statistic
	// infinite. Compute reports this as p-value 0 (drifted).
	ErrUnseenCategory = errors.New("category absent from the reference")
	// ErrNotApplicable: the method does not apply to this kind of data.
	ErrNotApplicable = errors.New("method does not apply to this data")
	// ErrUnknownMethod: no such method.
	ErrUnknownMethod = errors.New("unknown drift method")
	// ErrOutOfRange: the inputs are so extreme that the result overflows.
	ErrOutOfRange = errors.New("result out of floating-point range")
)

// total sums counts, rejecting bad counts, overflow and an empty side.
func total(side string, counts []float64) (float64, error) {
	t := 0.0
	for i, c := range counts {
		if !(c >= 0) || math.IsInf(c, 1) { // !(c >= 0) also catches NaN
			return 0, fmt.Errorf("%s bucket %d = %g: %w", side, i, c, ErrCount)
		}
		t += c
	}
	if math.IsInf(t, 1) {
		return 0, fmt.Errorf("%s total: %w", side, ErrOutOfRange)
	}
	if t == 0 {
		return 0, fmt.Errorf("%s: %w", side, ErrEmpty)
	}
	return t, nil
}

// totals validates both sides of a comparison and returns their totals.
func totals(ref, cur []float64) (n, m float64, err error) {
	if len(ref) != len(cur) {
		return 0, 0, fmt.Errorf("reference has %d buckets, current %d: %w", len(ref), len(cur), ErrLength)
	}
	if n, err = total("reference", ref); err != nil {
		return 0, 0, err
	}
	if m, err = total("current", cur); err != nil {
		return 0, 0, err
	}
	return n, m, nil
}

// finite guards every result: extreme but valid inputs may overflow, and a
// caller must never receive NaN or Inf without an error.
func finite(what string, v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: %w", what, ErrOutOfRange)
	}
	return v, nil
}
