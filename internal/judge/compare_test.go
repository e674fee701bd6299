package judge

import (
	"math"
	"testing"
)

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// Without intervals, two figures are the same only within the precision
// they are shown at: .005 for bounded scores, 1 % of the larger otherwise,
// and never a win below the display's resolution (no "▼ +.000").
func TestCompareWithoutIntervals(t *testing.T) {
	f := ptr[float64]
	cases := []struct {
		name    string
		a, b    *float64
		dir     Direction
		bounded bool
		res     float64
		want    Comparison
	}{
		{"rmse lower is better", f(12.4), f(11.0), LowerBetter, false, 0, BBetter},
		{"rmse higher is worse", f(11.0), f(12.4), LowerBetter, false, 0, ABetter},
		{"auc higher is better", f(0.88), f(0.91), HigherBetter, true, 0, BBetter},
		{"auc lower is worse", f(0.91), f(0.88), HigherBetter, true, 0, ABetter},
		{"bounded within .005 is the same", f(0.880), f(0.884), HigherBetter, true, 0, Same},
		{"bounded at .006 is not", f(0.880), f(0.886), HigherBetter, true, 0, BBetter},
		{"relative within 1% is the same", f(100), f(100.9), LowerBetter, false, 0, Same},
		{"relative past 1% is not", f(100), f(101.5), LowerBetter, false, 0, ABetter},
		{"zero against zero", f(0), f(0), LowerBetter, false, 0, Same},
		{"zero against a little", f(0), f(0.001), LowerBetter, false, 0.0005, ABetter},
		{"below the resolution is never a win", f(0.0001), f(0.0004), LowerBetter, false, 0.0005, Same},
		{"unknown on one side", nil, f(1), LowerBetter, false, 0, NoVerdict},
		{"neutral has no better side", f(10), f(40), Neutral, false, 0, NoVerdict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare(Side{Value: tc.a}, Side{Value: tc.b}, Pair{Dir: tc.dir, Bounded: tc.bounded, Resolution: tc.res})
			if got != tc.want {
				t.Errorf("Compare(%v, %v) = %v, want %v", deref(tc.a), deref(tc.b), got, tc.want)
			}
		})
	}
}

// With intervals, a winner is never declared while they overlap, however
// far apart the values look; apart, the better side wins.
func TestCompareWithIntervals(t *testing.T) {
	f := ptr[float64]
	iv := func(lo, hi float64) *[2]float64 { return &[2]float64{lo, hi} }
	cases := []struct {
		name string
		a, b Side
		want Comparison
	}{
		{"overlapping intervals are the same", Side{f(0.85), iv(0.77, 0.91)}, Side{f(0.90), iv(0.84, 0.94)}, Same},
		{"disjoint intervals decide", Side{f(0.80), iv(0.78, 0.82)}, Side{f(0.90), iv(0.88, 0.92)}, BBetter},
		{"a value inside the other's interval is the same", Side{f(0.85), nil}, Side{f(0.88), iv(0.80, 0.93)}, Same},
		{"a value outside it is not", Side{f(0.70), nil}, Side{f(0.88), iv(0.80, 0.93)}, BBetter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compare(tc.a, tc.b, Pair{Dir: HigherBetter, Bounded: true}); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// Which way is better, per quality metric and per drift method.
func TestPairDirections(t *testing.T) {
	for metric, want := range map[string]Pair{
		"auc": {Dir: HigherBetter, Bounded: true}, "accuracy": {Dir: HigherBetter, Bounded: true},
		"RMSE": {Dir: LowerBetter}, "log_loss": {Dir: LowerBetter},
	} {
		if got := MetricPair(metric); got != want {
			t.Errorf("%s: %+v, want %+v", metric, got, want)
		}
	}
	for method, want := range map[string]Pair{
		"ks": {Dir: HigherBetter, Bounded: true}, "chisquare": {Dir: HigherBetter, Bounded: true},
		"psi": {Dir: LowerBetter}, "wasserstein": {Dir: LowerBetter}, "jensenshannon": {Dir: LowerBetter},
	} {
		if got := DriftPair(method); got != want {
			t.Errorf("%s: %+v, want %+v", method, got, want)
		}
	}
}

// Two drift scores closer than a tenth of their threshold (the threshold
// itself for p-values) are the same: neither version is "better" for a
// PSI .002 lower when both are far from drifting.
func TestDriftNoise(t *testing.T) {
	psi := 0.2
	for _, c := range []struct {
		method string
		thr    *float64
		want   float64
	}{
		{"psi", nil, 0.01}, {"psi", &psi, 0.02}, {"wasserstein", nil, 0.01}, {"ks", nil, 0.05}, {"nonsense", nil, 0},
	} {
		if got := DriftNoise(c.method, c.thr); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("DriftNoise(%s, %v) = %g, want %g", c.method, c.thr, got, c.want)
		}
	}
	a, b, far := 0.001, 0.003, 0.05
	p := DriftPair("psi")
	p.Noise = DriftNoise("psi", nil)
	if got := Compare(Side{Value: &a}, Side{Value: &b}, p); got != Same {
		t.Errorf("psi .001 vs .003: %v, want Same", got)
	}
	if got := Compare(Side{Value: &a}, Side{Value: &far}, p); got != ABetter {
		t.Errorf("psi .001 vs .05: %v, want ABetter", got)
	}
}
