package judge

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func TestAssessVersionFindings(t *testing.T) {
	cases := []struct {
		name  string
		v     fleet.Version
		want  fleet.Status
		check string
	}{
		{"no data", fleet.Version{Version: "1"}, fleet.StatusUnknown, ""},
		{"healthy", fleet.Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.001)}, fleet.StatusOK, ""},
		{"errors critical", fleet.Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.06)}, fleet.StatusCritical, fleet.CheckErrorRate},
		{"errors warn", fleet.Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.03)}, fleet.StatusWarn, fleet.CheckErrorRate},
		{"errors without traffic ignored", fleet.Version{Version: "1", RequestsPerSecond: ptr(0.0), ErrorRate: ptr(1.0)}, fleet.StatusOK, ""},
		{"auc drop warn", fleet.Version{Version: "1", Performance: map[string]float64{"auc": 0.82}, Baseline: map[string]float64{"auc": 0.88}}, fleet.StatusWarn, fleet.CheckQualityDrop},
		{"auc drop critical", fleet.Version{Version: "1", Performance: map[string]float64{"auc": 0.70}, Baseline: map[string]float64{"auc": 0.88}}, fleet.StatusCritical, fleet.CheckQualityDrop},
		{"rmse rise is a drop", fleet.Version{Version: "1", Performance: map[string]float64{"rmse": 11}, Baseline: map[string]float64{"rmse": 10}}, fleet.StatusCritical, fleet.CheckQualityDrop},
		{"rmse fall is fine", fleet.Version{Version: "1", Performance: map[string]float64{"rmse": 9}, Baseline: map[string]float64{"rmse": 10}}, fleet.StatusOK, ""},
		{"old labels", fleet.Version{Version: "1", RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{LastLabelAgeSeconds: ptr((49 * time.Hour).Seconds())}}, fleet.StatusWarn, fleet.CheckLabelAge},
		{"drifted feature", fleet.Version{Version: "1", RequestsPerSecond: ptr(1.0), Drift: &fleet.Drift{Features: []fleet.FeatureDrift{{Feature: "tenure", Drifted: ptr(true)}}}}, fleet.StatusWarn, fleet.CheckDrift},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := fleet.Model{Name: "m", Versions: []fleet.Version{c.v}}
			Model(&m, cfgOf(fleet.DefaultThresholds))
			h := m.Versions[0].Health
			if h.Status != c.want {
				t.Fatalf("status = %v, want %v (%+v)", h.Status, c.want, h.Findings)
			}
			if c.check != "" && (len(h.Findings) == 0 || h.Findings[0].Check != c.check) {
				t.Fatalf("findings = %+v, want first %s", h.Findings, c.check)
			}
			if m.Health.Status != c.want {
				t.Fatalf("model status = %v, want %v", m.Health.Status, c.want)
			}
		})
	}
}

func TestAssessModelWorstFirst(t *testing.T) {
	m := fleet.Model{Name: "m", Rollout: &fleet.Rollout{Phase: "Healthy"}, Versions: []fleet.Version{
		{Version: "1", RequestsPerSecond: ptr(1.0), Drift: &fleet.Drift{Features: []fleet.FeatureDrift{{Feature: "x", Drifted: ptr(true)}}}},
		{Version: "2", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.5)},
	}}
	Model(&m, cfgOf(fleet.DefaultThresholds))
	if m.Health.Status != fleet.StatusCritical || m.Health.Findings[0].Version != "2" {
		t.Fatalf("model health = %+v", m.Health)
	}
	m.Rollout.Phase = "Degraded"
	m.Versions = m.Versions[:1]
	Model(&m, cfgOf(fleet.DefaultThresholds))
	if m.Health.Status != fleet.StatusCritical || m.Health.Findings[0].Check != fleet.CheckRollout {
		t.Fatalf("degraded rollout = %+v", m.Health)
	}
}

func TestBreachOnlyPastTheThreshold(t *testing.T) {
	m := fleet.Model{Name: "m", Versions: []fleet.Version{
		{Version: "1", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.03)}, // early warning
		{Version: "2", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.06)}, // breach
		{Version: "3", RequestsPerSecond: ptr(1.0), GroundTruth: fleet.GroundTruth{LastLabelAgeSeconds: ptr((50 * time.Hour).Seconds())}},
	}}
	Model(&m, cfgOf(fleet.DefaultThresholds))
	want := map[string]bool{"1": false, "2": true, "3": true}
	for _, f := range m.Health.Findings {
		if f.Breach != want[f.Version] {
			t.Errorf("v%s %s: breach = %v", f.Version, f.Check, f.Breach)
		}
	}
	if len(m.Health.Findings) != 3 {
		t.Fatalf("findings = %+v", m.Health.Findings)
	}
}
