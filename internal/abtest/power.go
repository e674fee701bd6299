package abtest

import (
	"fmt"
	"math"
)

// Power is the chance of detecting the change the "needs N more" lines
// are computed for.
const Power = 0.8

// maxFactor bounds the search for a sample growth factor: beyond it the
// answer is "never, at this rate" (+Inf).
const maxFactor = 1e12

// ZNeedFactor is by how much both sides' samples must grow for a
// two-sided z test at alpha to detect a difference delta with 80 % power,
// v being the difference's variance now:
//
//	k = (z_{1−α/2} + z_{0.8})² · v / δ²
//
// A k at or below 1 means the samples already suffice. +Inf when delta
// is 0; NaN for invalid input.
func ZNeedFactor(v, delta, alpha float64) float64 {
	if !(v >= 0) || !finite(v) || !finite(delta) || !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	if delta == 0 {
		return math.Inf(1)
	}
	z := ZTwoSided(alpha) + zQuantile(Power)
	return z * z * v / (delta * delta)
}

// MSPRTNeedFactor is the smallest growth k of both sides' samples at
// which the mSPRT, when the true difference is delta, ends above its
// bar 1/alpha with 80 % power:
//
//	Λ(|δ| − z_{0.8}·√(v/k), v/k) ≥ 1/α
//
// v is the difference's variance now. +Inf when no k up to 10¹² will do.
func MSPRTNeedFactor(v, delta, tau, alpha float64) float64 {
	if !(v > 0) || !finite(v) || !finite(delta) || !(tau > 0) || !finite(tau) || !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	d := math.Abs(delta)
	if d == 0 {
		return math.Inf(1)
	}
	bar, zp := math.Log(1/alpha), zQuantile(Power)
	enough := func(k float64) bool {
		vk := v / k
		th := d - zp*math.Sqrt(vk)
		return th > 0 && logMixtureRatio(th, vk, tau) >= bar
	}
	lo, hi := 0.0, 1.0
	for !enough(hi) {
		lo, hi = hi, hi*2
		if hi > maxFactor {
			return math.Inf(1)
		}
	}
	if lo == 0 {
		lo = hi / 1024
		for lo > 1e-12 && enough(lo) {
			lo, hi = lo/1024, lo
		}
	}
	for i := 0; i < 60 && hi-lo > 1e-9*hi; i++ {
		if mid := (lo + hi) / 2; enough(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// RateChange is the error-rate increase the "needs N more" line speaks
// of: the larger of one percentage point and half the baseline's rate
// (×1.5), so that it is never smaller than a change anyone acts on.
func RateChange(baseRate float64) float64 {
	if !finite(baseRate) || baseRate < 0 {
		return 0.01
	}
	return math.Max(0.01, 0.5*baseRate)
}

// MSPRTMore is how many more candidate trials (the baseline growing in
// proportion, as traffic is split now) the mSPRT needs to detect the
// candidate's rate being delta above the baseline's with 80 % power. The
// variance is taken at that alternative (rates shrunk half an event). 0
// when the counts already suffice; +Inf when no realistic count will do.
func MSPRTMore(base, cand Count, delta, tau, alpha float64) (float64, error) {
	if err := base.check("baseline"); err != nil {
		return 0, fmt.Errorf("samples needed: %w", err)
	}
	if err := checkAlpha(alpha); err != nil {
		return 0, fmt.Errorf("samples needed: %w", err)
	}
	nc, v, err := altVariance(base, cand, delta)
	if err != nil {
		return 0, err
	}
	return more(MSPRTNeedFactor(v, delta, tau, alpha), cand.N, nc)
}

// ProportionMore is how many more candidate labels (the baseline's growing
// in proportion) a two-sided test of two proportions at alpha needs to
// detect the candidate's rate being delta away from the baseline's with
// 80 % power (normal approximation, rates shrunk half an event).
func ProportionMore(base, cand Count, delta, alpha float64) (float64, error) {
	if err := base.check("baseline"); err != nil {
		return 0, fmt.Errorf("samples needed: %w", err)
	}
	if err := checkAlpha(alpha); err != nil {
		return 0, fmt.Errorf("samples needed: %w", err)
	}
	nc, v, err := altVariance(base, cand, delta)
	if err != nil {
		return 0, err
	}
	return more(ZNeedFactor(v, delta, alpha), cand.N, nc)
}

// altVariance is the variance of the difference if the candidate's rate
// were the baseline's plus delta, at the current counts; a candidate with
// no trials yet counts as one.
func altVariance(base, cand Count, delta float64) (nc, v float64, err error) {
	if !finite(delta) || !finite(cand.N) || cand.N < 0 {
		return 0, 0, fmt.Errorf("samples needed: change %g, %g candidate trials: %w", delta, cand.N, ErrInvalid)
	}
	nc = math.Max(cand.N, 1)
	pb := (base.X + 0.5) / (base.N + 1)
	pc := math.Min(math.Max(pb+delta, 0.5/(nc+1)), 1-0.5/(nc+1))
	return nc, pb*(1-pb)/base.N + pc*(1-pc)/nc, nil
}

func more(k, have, scaled float64) (float64, error) {
	switch {
	case math.IsNaN(k):
		return 0, fmt.Errorf("samples needed: %w", ErrInvalid)
	case math.IsInf(k, 1):
		return k, nil
	case k <= 1 && have > 0:
		return 0, nil
	}
	return math.Ceil(k*scaled - have), nil
}
