package judge

import (
	"math"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// TestMissingLimitNeverBelowTheFloor: the limit grows with p₀ from the
// floor at p₀ = 0; a feature that missed 0.01 % in the reference may miss
// as much as one that never did (not a tenth of it: 0.0001 +
// 3·√(0.0001·0.9999/1000) = 0.105 %).
func TestMissingLimitNeverBelowTheFloor(t *testing.T) {
	d := DefaultDataQuality()
	for _, n := range []float64{100, 1000, 10000, 1e6} {
		prev := d.MissingLimit(ptr(0.0), n)
		for _, p0 := range []float64{1e-5, 1e-4, 1e-3, 0.005, 0.01, 0.02, 0.1, 0.5} {
			got := d.MissingLimit(ptr(p0), n)
			if got < prev || got < d.MissingFloor {
				t.Errorf("n %g p0 %g: limit %g, below %g (the limit at a smaller p0, or the floor)", n, p0, got, prev)
			}
			prev = got
		}
	}
}

// binomialTail is P(X ≥ k) for X ~ Binomial(n, p), summed exactly.
func binomialTail(n, k int, p float64) float64 {
	sum := 0.0
	for x := k; x <= n; x++ {
		ln, _ := math.Lgamma(float64(n + 1))
		lx, _ := math.Lgamma(float64(x + 1))
		lr, _ := math.Lgamma(float64(n - x + 1))
		sum += math.Exp(ln - lx - lr + float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
	}
	return sum
}

// TestMissingLimitFalseAlarms holds docs/dataquality.md's numbers: how
// often a steady feature (missing p₀ on average) crosses its limit by
// chance in one window, from the exact binomial tail.
func TestMissingLimitFalseAlarms(t *testing.T) {
	d := DefaultDataQuality()
	for _, c := range []struct {
		n        int
		p0       float64
		oneIn    float64 // 1 in this many windows, ±1 %
		limitPct float64
	}{
		{1000, 0.005, 188, 1.169}, // n·p₀ = 5: the normal approximation is off
		{1000, 0.01, 304, 1.944},  // n·p₀ = 10
		{10000, 0.02, 629, 2.420}, // n·p₀ = 200
	} {
		limit := d.MissingLimit(ptr(c.p0), float64(c.n))
		if math.Abs(limit*100-c.limitPct) > 0.001 {
			t.Errorf("n %d p0 %g: limit %.4f %%, want %.3f %%", c.n, c.p0, limit*100, c.limitPct)
		}
		k := int(math.Floor(limit*float64(c.n))) + 1 // the fewest missing that alarm
		got := 1 / binomialTail(c.n, k, c.p0)
		if math.Abs(got-c.oneIn) > c.oneIn/100 {
			t.Errorf("n %d p0 %g: a false alarm 1 in %.0f windows, want 1 in %.0f", c.n, c.p0, got, c.oneIn)
		}
	}
	// At the floor a never-missing feature cannot cross it by chance; one
	// that missed 0.1 % over 10,000 predictions (limit: the floor, 1 %)
	// all but never does.
	if p := binomialTail(10000, 101, 0.001); p > 1e-50 {
		t.Errorf("p0 0.1 %%, n 10,000: false alarm %g", p)
	}
}

// TestSilentFollowsThePredictionCount: the window's prediction count
// says whether predictions flow, not the request rate (a shorter window):
// just after an idle spell the rate is back, the histograms' window has
// no prediction and no value yet: not silent. Without a count, the rate
// decides.
func TestSilentFollowsThePredictionCount(t *testing.T) {
	v := dqVersion(fleet.FeatureQuality{Feature: "tenure", Absent: true})
	v.DataQuality.Predictions = ptr(0.0)
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{v}}
	Model(&m, Default())
	if m.Versions[0].DataQuality.Features[0].Silent || m.Health.Status == fleet.StatusCritical {
		t.Errorf("no predictions counted, traffic back: health %+v", m.Health)
	}

	v = dqVersion(fleet.FeatureQuality{Feature: "tenure", Absent: true})
	v.DataQuality.Predictions = nil
	m = fleet.Model{Name: "churn", Versions: []fleet.Version{v}}
	Model(&m, Default())
	if !m.Versions[0].DataQuality.Features[0].Silent || m.Health.Status != fleet.StatusCritical {
		t.Errorf("no count, traffic: health %+v, want silent", m.Health)
	}
}

// TestAbsentWithUnknownFlowIsUnknown: an absent feature while neither
// the prediction count nor the request rate is known (a profile without
// feature_missing, a rate that did not answer) is an unknown finding that
// says why, not silence and not nothing.
func TestAbsentWithUnknownFlowIsUnknown(t *testing.T) {
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{{Version: "7",
		DataQuality: &fleet.DataQuality{Features: []fleet.FeatureQuality{{Feature: "tenure", Absent: true}, {Feature: "zip", Absent: true}}}}}}
	Model(&m, Default())
	fs := m.Health.Findings
	if len(fs) != 1 || fs[0].Status != fleet.StatusUnknown || fs[0].Breach || fs[0].Check != fleet.CheckDataQuality ||
		fs[0].Message != "data quality of tenure, zip unknown: no values now, and whether predictions flow is unknown" {
		t.Errorf("findings %+v", fs)
	}
	if m.Versions[0].DataQuality.Features[0].Silent {
		t.Error("silent without knowing predictions flow")
	}
}

// TestUnreadFeatureIsNeverOK: a feature whose window was not read is an
// unknown finding, never critical, and the version is not ✔ on it.
func TestUnreadFeatureIsNeverOK(t *testing.T) {
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{dqVersion(
		fleet.FeatureQuality{Feature: "tenure", Unknown: "the window's histograms were not read"})}}
	m.Versions[0].Drift = nil
	Model(&m, Default())
	fs := m.Health.Findings
	if m.Health.Status != fleet.StatusUnknown || len(fs) != 1 || fs[0].Status != fleet.StatusUnknown ||
		fs[0].Message != "data quality of tenure unknown: the window's histograms were not read" {
		t.Errorf("health %+v", m.Health)
	}
}

// TestPercentApart: shares that round the same get the decimals that
// tell them apart; a finding just over the 1 % floor says 1.04 %.
func TestPercentApart(t *testing.T) {
	for _, c := range []struct {
		a, b   float64
		wa, wb string
	}{{0.0104, 0.01, "1.04 %", "1.00 %"}, {0.07, 0.0069, "7 %", "0.7 %"}, {0.0100001, 0.01, "1.0000 %", "1.0000 %"}, {0.01, 0.01, "1 %", "1 %"}} {
		if a, b := PercentApart(c.a, c.b); a != c.wa || b != c.wb {
			t.Errorf("PercentApart(%g, %g) = %q, %q; want %q, %q", c.a, c.b, a, b, c.wa, c.wb)
		}
	}
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{dqVersion(
		fleet.FeatureQuality{Feature: "tenure", MissingShare: ptr(0.0104), ReferenceMissingShare: ptr(0.0)})}}
	Model(&m, Default())
	if p := m.Versions[0].DataQuality.Features[0].Problems; len(p) != 1 || p[0] != "1.04 % missing" {
		t.Errorf("problems %q", p)
	}
}
