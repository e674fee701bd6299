package judge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// scoreBound finds, by bisection, the proportion q on one side of p where
// the score test is exactly at the 95 % level: |p − q| = z·√(q(1−q)/n).
// The Wilson interval is by definition the set of q that test accepts, so
// this checks the closed form independently.
func scoreBound(p, n float64, upper bool) float64 {
	lo, hi := 0.0, p
	if upper {
		lo, hi = p, 1
	}
	accepts := func(q float64) bool { return math.Abs(p-q) <= z95*math.Sqrt(q*(1-q)/n) }
	for range 200 {
		mid := (lo + hi) / 2
		// Inside the interval the test accepts; the bound is the edge.
		if accepts(mid) == upper {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func TestWilson(t *testing.T) {
	// The textbook case: 90 of 100.
	lo, hi, ok := Wilson(0.9, 100)
	if !ok || math.Round(lo*1e4) != 8256 || math.Round(hi*1e4) != 9448 {
		t.Errorf("Wilson(0.9, 100) = [%.4f, %.4f], want [0.8256, 0.9448]", lo, hi)
	}
	for _, tc := range [][2]float64{{0.9, 100}, {0.5, 10}, {0, 20}, {1, 20}, {0.37, 1000}, {0.999, 50000}} {
		p, n := tc[0], tc[1]
		lo, hi, ok := Wilson(p, n)
		wantLo, wantHi := scoreBound(p, n, false), scoreBound(p, n, true)
		if !ok || math.Abs(lo-wantLo) > 1e-9 || math.Abs(hi-wantHi) > 1e-9 {
			t.Errorf("Wilson(%g, %g) = [%.9f, %.9f], score test bounds [%.9f, %.9f]", p, n, lo, hi, wantLo, wantHi)
		}
		if lo > p || hi < p {
			t.Errorf("Wilson(%g, %g) = [%g, %g] excludes p", p, n, lo, hi)
		}
	}
	for _, bad := range [][2]float64{{0.5, 0}, {0.5, -3}, {1.2, 10}, {-0.1, 10}, {math.NaN(), 10}, {0.5, math.Inf(1)}} {
		if _, _, ok := Wilson(bad[0], bad[1]); ok {
			t.Errorf("Wilson(%g, %g) ok", bad[0], bad[1])
		}
	}
}

func TestIsProportion(t *testing.T) {
	for m, want := range map[string]bool{"accuracy": true, "Precision": true, "recall": true, "f1": false, "auc": false, "rmse": false} {
		if IsProportion(m) != want {
			t.Errorf("IsProportion(%q) = %v", m, !want)
		}
	}
}

// TestLowConfidenceDropIsNoBreach: a drop twice the threshold on 37 labels
// warns and says why; on 500 labels it is critical and a breach.
func TestLowConfidenceDropIsNoBreach(t *testing.T) {
	v := func(labels float64) fleet.Version {
		return fleet.Version{Version: "4", Performance: map[string]float64{"accuracy": 0.8}, Baseline: map[string]float64{"accuracy": 0.92},
			GroundTruth: fleet.GroundTruth{Labels: ptr(labels)}}
	}
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{v(37)}}
	Model(&m, cfgOf(fleet.DefaultThresholds))
	f := m.Health.Findings
	if m.Health.Status != fleet.StatusWarn || len(f) != 1 || f[0].Breach || !strings.HasSuffix(f[0].Message, "(n=37, low confidence)") {
		t.Errorf("37 labels: %+v", m.Health)
	}
	m = fleet.Model{Name: "churn", Versions: []fleet.Version{v(500)}}
	Model(&m, cfgOf(fleet.DefaultThresholds))
	if f := m.Health.Findings; m.Health.Status != fleet.StatusCritical || len(f) != 1 || !f[0].Breach || strings.Contains(f[0].Message, "low confidence") {
		t.Errorf("500 labels: %+v", m.Health)
	}
	// Without a minimum, or without a count, nothing is low confidence.
	m = fleet.Model{Name: "churn", Versions: []fleet.Version{v(37)}}
	Model(&m, cfgOf(fleet.Thresholds{QualityDrop: 0.05}))
	if !m.Health.Findings[0].Breach {
		t.Errorf("min_labels 0: %+v", m.Health)
	}
	nv := v(0)
	nv.GroundTruth.Labels = nil
	m = fleet.Model{Name: "churn", Versions: []fleet.Version{nv}}
	Model(&m, cfgOf(fleet.DefaultThresholds))
	if !m.Health.Findings[0].Breach {
		t.Errorf("unknown label count: %+v", m.Health)
	}
}

// Quality measured up to a time before the version was created says
// little about it: marked, never guessed when either time is unknown.
func TestQualityPredatesVersion(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name          string
		asOf, created time.Time
		want          bool
	}{
		{"as of before the version", now.Add(-30 * time.Hour), now.Add(-24 * time.Hour), true},
		{"as of after the version", now.Add(-2 * time.Hour), now.Add(-24 * time.Hour), false},
		{"as of unknown", time.Time{}, now.Add(-24 * time.Hour), false},
		{"creation unknown", now.Add(-30 * time.Hour), time.Time{}, false},
	}
	for _, tc := range cases {
		v := fleet.Version{Version: "7", GroundTruth: fleet.GroundTruth{QualityAsOf: tc.asOf}, Lineage: &fleet.Lineage{CreatedAt: tc.created}}
		Default().judgeLabels(&v)
		if v.GroundTruth.PredatesVersion != tc.want {
			t.Errorf("%s: predates %v, want %v", tc.name, v.GroundTruth.PredatesVersion, tc.want)
		}
	}
	v := fleet.Version{GroundTruth: fleet.GroundTruth{QualityAsOf: now}}
	Default().judgeLabels(&v)
	if v.GroundTruth.PredatesVersion {
		t.Error("no lineage: predates")
	}
}
