package judge

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// A version younger than the rate window is not judged ✔ on rates that
// have not settled: its health is unknown, saying so; a bad reading stays
// bad; the model is no healthier than that version, whatever its rollout
// says; once the window is full the same figures are ✔.
func TestWarmingUpIsNotHealthyYet(t *testing.T) {
	calm := fleet.Version{Version: "2", Serving: true, RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.001)}
	m := fleet.Model{Name: "m", Rollout: &fleet.Rollout{Phase: "Healthy"}, Versions: []fleet.Version{calm}}
	m.Versions[0].WarmingUp = true
	Model(&m, Default())
	v := m.Versions[0]
	if v.Health.Status != fleet.StatusUnknown || m.Health.Status != fleet.StatusUnknown {
		t.Fatalf("warming up: version %v model %v, want unknown", v.Health.Status, m.Health.Status)
	}
	if f := v.Health.Findings; len(f) != 1 || f[0].Check != fleet.CheckWarmingUp || f[0].Breach ||
		f[0].Message != "warming up (rates settle within 1m)" {
		t.Errorf("findings %+v", f)
	}

	c := Default()
	c.RateWindow = 0
	m.Versions[0].WarmingUp = true
	Model(&m, c)
	if f := m.Versions[0].Health.Findings; len(f) != 1 || f[0].Message != "warming up (rates not settled)" {
		t.Errorf("window unknown: %+v", f)
	}

	// A critical error ratio is not hidden behind the warm-up.
	bad := calm
	bad.WarmingUp, bad.ErrorRate = true, ptr(0.2)
	m = fleet.Model{Name: "m", Versions: []fleet.Version{bad}}
	Model(&m, Default())
	if f := m.Health.Findings; m.Health.Status != fleet.StatusCritical || len(f) != 2 || f[0].Check != fleet.CheckErrorRate || f[1].Check != fleet.CheckWarmingUp {
		t.Errorf("critical while warming up: %v %+v", m.Health.Status, f)
	}

	// A settled stable version next to a canary warming up: the model
	// waits for the canary.
	stable, canary := calm, calm
	stable.Version, canary.WarmingUp = "1", true
	m = fleet.Model{Name: "m", Versions: []fleet.Version{stable, canary}}
	Model(&m, Default())
	if m.Versions[0].Health.Status != fleet.StatusOK || m.Health.Status != fleet.StatusUnknown {
		t.Errorf("stable %v, model %v: want ok and unknown", m.Versions[0].Health.Status, m.Health.Status)
	}

	// Settled: the same figures are healthy.
	m = fleet.Model{Name: "m", Versions: []fleet.Version{calm}}
	Model(&m, Default())
	if m.Health.Status != fleet.StatusOK {
		t.Errorf("settled: %v %+v", m.Health.Status, m.Health.Findings)
	}
}
