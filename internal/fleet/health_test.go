package fleet

import (
	"math"
	"testing"
	"time"
)

func TestAssessVersionFindings(t *testing.T) {
	cases := []struct {
		name  string
		v     Version
		want  Status
		check string
	}{
		{"no data", Version{Version: "1"}, StatusUnknown, ""},
		{"healthy", Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.001)}, StatusOK, ""},
		{"errors critical", Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.06)}, StatusCritical, CheckErrorRate},
		{"errors warn", Version{Version: "1", RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.03)}, StatusWarn, CheckErrorRate},
		{"errors without traffic ignored", Version{Version: "1", RequestsPerSecond: ptr(0.0), ErrorRate: ptr(1.0)}, StatusOK, ""},
		{"errors with no successful prediction", Version{Version: "1", RequestsPerSecond: ptr(0.0), ErrorRate: ptr(math.Inf(1))}, StatusCritical, CheckErrorRate},
		{"errors with no rate at all", Version{Version: "1", ErrorRate: ptr(math.Inf(1))}, StatusCritical, CheckErrorRate},
		{"auc drop warn", Version{Version: "1", Performance: map[string]float64{"auc": 0.82}, Baseline: map[string]float64{"auc": 0.88}}, StatusWarn, CheckQualityDrop},
		{"auc drop critical", Version{Version: "1", Performance: map[string]float64{"auc": 0.70}, Baseline: map[string]float64{"auc": 0.88}}, StatusCritical, CheckQualityDrop},
		{"rmse rise is a drop", Version{Version: "1", Performance: map[string]float64{"rmse": 11}, Baseline: map[string]float64{"rmse": 10}}, StatusCritical, CheckQualityDrop},
		{"rmse fall is fine", Version{Version: "1", Performance: map[string]float64{"rmse": 9}, Baseline: map[string]float64{"rmse": 10}}, StatusOK, ""},
		{"old labels", Version{Version: "1", RequestsPerSecond: ptr(1.0), GroundTruth: GroundTruth{LastLabelAgeSeconds: ptr((49 * time.Hour).Seconds())}}, StatusWarn, CheckLabelAge},
		{"drifted feature", Version{Version: "1", RequestsPerSecond: ptr(1.0), Drift: &Drift{Features: []FeatureDrift{{Feature: "tenure", Drifted: ptr(true)}}}}, StatusWarn, CheckDrift},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Model{Name: "m", Versions: []Version{c.v}}
			Assess(&m, DefaultThresholds)
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
	m := Model{Name: "m", Rollout: &Rollout{Phase: "Healthy"}, Versions: []Version{
		{Version: "1", RequestsPerSecond: ptr(1.0), Drift: &Drift{Features: []FeatureDrift{{Feature: "x", Drifted: ptr(true)}}}},
		{Version: "2", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.5)},
	}}
	Assess(&m, DefaultThresholds)
	if m.Health.Status != StatusCritical || m.Health.Findings[0].Version != "2" {
		t.Fatalf("model health = %+v", m.Health)
	}
	m.Rollout.Phase = "Degraded"
	m.Versions = m.Versions[:1]
	Assess(&m, DefaultThresholds)
	if m.Health.Status != StatusCritical || m.Health.Findings[0].Check != CheckRollout {
		t.Fatalf("degraded rollout = %+v", m.Health)
	}
}

func TestBreachOnlyPastTheThreshold(t *testing.T) {
	m := Model{Name: "m", Versions: []Version{
		{Version: "1", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.03)}, // early warning
		{Version: "2", RequestsPerSecond: ptr(1.0), ErrorRate: ptr(0.06)}, // breach
		{Version: "3", RequestsPerSecond: ptr(1.0), GroundTruth: GroundTruth{LastLabelAgeSeconds: ptr((50 * time.Hour).Seconds())}},
	}}
	Assess(&m, DefaultThresholds)
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
