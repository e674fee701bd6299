package judge

import (
	"math"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// TestMissingLimit works the alarm's limit by hand: p₀ = 0.5 % over
// n = 1,000: √(0.005·0.995/1000) = 0.0022305, three of them 0.0066915,
// the limit 0.0116915; p₀ = 0 or unknown: the 1 % floor.
func TestMissingLimit(t *testing.T) {
	d := DefaultDataQuality()
	if got := d.MissingLimit(ptr(0.005), 1000); math.Abs(got-0.0116915) > 1e-6 {
		t.Errorf("limit = %.7f, want 0.0116915", got)
	}
	for _, p0 := range []*float64{nil, ptr(0.0)} {
		if got := d.MissingLimit(p0, 1000); got != 0.01 {
			t.Errorf("p0 %v: limit = %g, want the floor 0.01", p0, got)
		}
	}
}

// dqVersion serves 1,000 predictions in the window, with drift in income.
func dqVersion(fs ...fleet.FeatureQuality) fleet.Version {
	return fleet.Version{Version: "7", RequestsPerSecond: ptr(2.0), ErrorRate: ptr(0.0),
		DataQuality: &fleet.DataQuality{Predictions: ptr(1000.0), Features: fs},
		Drift: &fleet.Drift{Features: []fleet.FeatureDrift{
			{Feature: "income", Score: 0.4, Method: "psi", Source: fleet.DriftComputed}}}}
}

func messages(fs []fleet.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Message)
	}
	return out
}

// TestDataQualityFindings: tenure 70 of 1,000 missing against p₀ 0.5 %
// (limit 1.17 %), age 1.1 % (below it), plan 22 % unseen, amount 5 % out of
// range: each a warning, ahead of the drift in income, tenure first.
func TestDataQualityFindings(t *testing.T) {
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{dqVersion(
		fleet.FeatureQuality{Feature: "age", MissingShare: ptr(0.011), ReferenceMissingShare: ptr(0.005)},
		fleet.FeatureQuality{Feature: "amount", OutOfRangeShare: ptr(0.05)},
		fleet.FeatureQuality{Feature: "plan", UnseenShare: ptr(0.22), Unseen: []fleet.CategoryShare{{Category: "gold", Share: 0.2}, {Category: "tin", Share: 0.02}}},
		fleet.FeatureQuality{Feature: "tenure", MissingShare: ptr(0.07), ReferenceMissingShare: ptr(0.005)},
	)}}
	m.Versions[0].DataQuality.Schema = []fleet.SchemaChange{{Feature: "region", Change: fleet.SchemaAdded}, {Feature: "zip", Change: fleet.SchemaRemoved}}
	Model(&m, Default())
	got := messages(m.Health.Findings)
	want := []string{"amount 5 % out of range", "plan 22 % unseen (gold, tin)", "tenure 7 % missing", "schema: region added", "drift in income"}
	if len(got) != len(want) {
		t.Fatalf("findings %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d = %q, want %q", i, got[i], want[i])
		}
	}
	if m.Health.Status != fleet.StatusWarn || m.Health.Findings[0].Check != fleet.CheckDataQuality || !m.Health.Findings[0].Breach {
		t.Errorf("health %+v", m.Health)
	}
	dq := m.Versions[0].DataQuality
	if age := dq.Feature("age"); len(age.Problems) != 0 || age.MissingLimit == nil || math.Abs(*age.MissingLimit-0.0116915) > 1e-6 {
		t.Errorf("age %+v", age)
	}
	if tenure := dq.Feature("tenure"); len(tenure.Problems) != 1 || tenure.Problems[0] != "7 % missing" {
		t.Errorf("tenure problems %q", tenure.Problems)
	}
}

// TestSilentFeatureIsCritical: tenure is in the reference and has no
// value now while 1,000 predictions flow: critical, first. Without
// predictions an absent feature says nothing.
func TestSilentFeatureIsCritical(t *testing.T) {
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{dqVersion(fleet.FeatureQuality{Feature: "tenure", Absent: true})}}
	Model(&m, Default())
	if m.Health.Status != fleet.StatusCritical || m.Health.Findings[0].Message != "tenure silent (no values while predictions flow)" ||
		!m.Versions[0].DataQuality.Features[0].Silent {
		t.Errorf("health %+v", m.Health)
	}

	m = fleet.Model{Name: "churn", Versions: []fleet.Version{{Version: "7",
		DataQuality: &fleet.DataQuality{Predictions: ptr(0.0), Features: []fleet.FeatureQuality{{Feature: "tenure", Absent: true}}}}}}
	Model(&m, Default())
	if m.Health.Status == fleet.StatusCritical || m.Versions[0].DataQuality.Features[0].Silent {
		t.Errorf("no predictions: health %+v", m.Health)
	}
}

// TestMissingFloor: a feature never missing in the reference may miss 1 %,
// not more; the floor is configurable.
func TestMissingFloor(t *testing.T) {
	for _, c := range []struct {
		share, floor float64
		alarm        bool
	}{{0.01, 0.01, false}, {0.0101, 0.01, true}, {0.0101, 0.02, false}} {
		m := fleet.Model{Name: "churn", Versions: []fleet.Version{dqVersion(
			fleet.FeatureQuality{Feature: "tenure", MissingShare: ptr(c.share), ReferenceMissingShare: ptr(0.0)})}}
		cfg := Default()
		cfg.DataQuality.MissingFloor = c.floor
		Model(&m, cfg)
		if got := len(m.Versions[0].DataQuality.Features[0].Problems) > 0; got != c.alarm {
			t.Errorf("share %g floor %g: alarm %v, want %v", c.share, c.floor, got, c.alarm)
		}
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[float64]string{0.07: "7 %", 0.015: "1.5 %", 0.3: "30 %", 0.003: "0.3 %", 0.123: "12 %"} {
		if got := Percent(in); got != want {
			t.Errorf("Percent(%g) = %q, want %q", in, got, want)
		}
	}
}
