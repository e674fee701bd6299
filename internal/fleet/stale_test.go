package fleet

import (
	"testing"
	"time"
)

// A version whose exporter is down keeps its values but is judged unknown
// with its data's age, its old findings kept and no longer breaching; a
// model with a stale version is never ok, yet a fresh version's problem
// still counts.
func TestAssessStale(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	healthy := func(id string) Version {
		return Version{Version: id, RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.001)}
	}
	failing := func(id string) Version {
		return Version{Version: id, RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.2)}
	}
	stale := func(v Version, age time.Duration) Version { v.StaleSince = now.Add(-age); return v }
	cases := []struct {
		name     string
		versions []Version
		rollout  *Rollout
		model    Status
		first    string // the model's first finding
	}{
		{"fresh stays ok", []Version{healthy("1")}, nil, StatusOK, ""},
		{"stale ok is unknown", []Version{stale(healthy("1"), 2*time.Minute)}, nil, StatusUnknown, "unknown (data 2m old)"},
		{"stale under a healthy rollout is unknown", []Version{stale(healthy("1"), 45*time.Second)},
			&Rollout{Phase: "Healthy"}, StatusUnknown, "unknown (data 45s old)"},
		{"one stale of two", []Version{healthy("1"), stale(healthy("2"), 3*time.Hour)}, nil, StatusUnknown, "unknown (data 3h old)"},
		{"stale critical is unknown", []Version{stale(failing("1"), time.Minute)}, nil, StatusUnknown, "unknown (data 60s old)"},
		{"fresh critical still counts", []Version{failing("1"), stale(healthy("2"), time.Minute)}, nil, StatusCritical, "error rate 20.0% ≥ 5.0%"},
		{"degraded rollout still counts", []Version{stale(healthy("1"), time.Minute)}, &Rollout{Phase: "Degraded"}, StatusCritical, "rollout Degraded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Model{Name: "m", Versions: c.versions, Rollout: c.rollout}
			Assess(&m, DefaultThresholds)
			AssessStale(&m, now)
			if m.Health.Status != c.model {
				t.Errorf("model status %v, want %v (%+v)", m.Health.Status, c.model, m.Health.Findings)
			}
			if c.first != "" && (len(m.Health.Findings) == 0 || m.Health.Findings[0].Message != c.first) {
				t.Errorf("model findings %+v, want first %q", m.Health.Findings, c.first)
			}
			for _, v := range m.Versions {
				if v.StaleSince.IsZero() {
					continue
				}
				if v.Health.Status != StatusUnknown || len(v.Health.Findings) == 0 || v.Health.Findings[0].Check != CheckStale {
					t.Errorf("stale v%s: health %+v, want unknown with the stale finding first", v.Version, v.Health)
				}
				for _, f := range v.Health.Findings {
					if f.Breach {
						t.Errorf("stale v%s: finding %q still breaches", v.Version, f.Message)
					}
				}
			}
			for _, f := range m.Health.Findings {
				if v := m.Version(f.Version); v != nil && !v.StaleSince.IsZero() && f.Breach {
					t.Errorf("model finding %q from stale v%s still breaches", f.Message, f.Version)
				}
			}
		})
	}
}
