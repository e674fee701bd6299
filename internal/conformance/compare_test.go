package conformance

import (
	"math"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// tally counts comparisons by role, and the ones that matched to the bit.
type tally struct {
	compared map[fleet.Role]int
	exact    int
	total    int
	worst    float64 // largest relative difference seen
}

func newTally() *tally { return &tally{compared: map[fleet.Role]int{}} }

// same accepts equal values; a difference in the last bits is tolerated
// because an engine that sums in parallel may add in another order from
// one answer to the next.
func (tl *tally) same(role fleet.Role, have, want float64) bool {
	tl.compared[role]++
	tl.total++
	if have == want {
		tl.exact++
		return true
	}
	d := math.Abs(have-want) / math.Max(math.Abs(have), math.Abs(want))
	tl.worst = math.Max(tl.worst, d)
	return d <= 1e-9
}

func findModel(s fleet.Snapshot, name string) *fleet.Model {
	for i := range s.Models {
		if s.Models[i].Name == name {
			return &s.Models[i]
		}
	}
	return nil
}

// versionValue is where the merge put a per-version sample of role; ok is
// false when the snapshot holds nothing there, and direct false for roles
// whose samples are not kept as values (histograms for computed drift).
func versionValue(v *fleet.Version, role fleet.Role, lbl model.Metric) (val float64, ok, direct bool) {
	ptr := func(p *float64) (float64, bool, bool) {
		if p == nil {
			return 0, false, true
		}
		return *p, true, true
	}
	switch role {
	case fleet.RoleRequestRate:
		return ptr(v.RequestsPerSecond)
	case fleet.RoleErrorRatio:
		return ptr(v.ErrorRate)
	case fleet.RoleLatencyP50:
		return ptr(v.Latency.P50)
	case fleet.RoleLatencyP95:
		return ptr(v.Latency.P95)
	case fleet.RoleLatencyP99:
		return ptr(v.Latency.P99)
	case fleet.RoleLatencyMean:
		return ptr(v.Latency.Mean)
	case fleet.RoleTrafficWeight:
		return ptr(v.TrafficWeight)
	case fleet.RoleLabeledFraction:
		return ptr(v.GroundTruth.LabeledFraction)
	case fleet.RoleLabelDelayP50:
		return ptr(v.GroundTruth.DelayP50Seconds)
	case fleet.RoleLabelDelayP95:
		return ptr(v.GroundTruth.DelayP95Seconds)
	case fleet.RoleLabelAge:
		return ptr(v.GroundTruth.LastLabelAgeSeconds)
	case fleet.RoleLabelsInWindow:
		return ptr(v.GroundTruth.Labels)
	case fleet.RolePerformance:
		x, ok := v.Performance[string(lbl["metric"])]
		return x, ok, true
	case fleet.RoleDriftScore:
		if v.Drift != nil {
			for _, f := range v.Drift.Features {
				if f.Feature == string(lbl["feature"]) && f.Method == string(lbl["method"]) {
					return f.Score, true, true
				}
			}
		}
		return 0, false, true
	case fleet.RoleWarmingUp:
		if v.WarmingUp {
			return 1, true, true
		}
		return 0, false, true
	}
	return 0, false, false
}

// rolloutValue is a model-level rollout sample's counterpart.
func rolloutValue(m *fleet.Model, role fleet.Role) *float64 {
	r := m.Rollout
	if r == nil {
		return nil
	}
	f := func(n *int) *float64 {
		if n == nil {
			return nil
		}
		x := float64(*n)
		return &x
	}
	switch role {
	case fleet.RoleRolloutStep:
		return f(r.Step)
	case fleet.RoleRolloutSteps:
		return f(r.Steps)
	case fleet.RoleRolloutSetWt:
		return r.SetWeight
	}
	return nil
}

// compareRole checks that every sample the engine returned for role is in
// the snapshot with the same value (NaN: unknown, nil in the snapshot).
func compareRole(t *testing.T, engine string, snap fleet.Snapshot, role fleet.Role, ref model.Vector, tl *tally) {
	t.Helper()
	for _, s := range ref {
		want := float64(s.Value)
		m := findModel(snap, string(s.Metric["model"]))
		if m == nil {
			t.Errorf("%s %s: model %q missing from the snapshot", engine, role, s.Metric["model"])
			continue
		}
		switch role {
		case fleet.RoleRolloutInfo:
			if m.Rollout == nil || m.Rollout.Phase != string(s.Metric["phase"]) || m.Rollout.Strategy != string(s.Metric["strategy"]) {
				t.Errorf("%s %s rollout = %+v, engine says %v", engine, m.Name, m.Rollout, s.Metric)
			}
			tl.compared[role]++
			continue
		case fleet.RoleRolloutStep, fleet.RoleRolloutSteps, fleet.RoleRolloutSetWt:
			if have := rolloutValue(m, role); have == nil || !tl.same(role, *have, want) {
				t.Errorf("%s %s %s = %v, engine says %g", engine, m.Name, role, have, want)
			}
			continue
		}
		v := m.Version(string(s.Metric["version"]))
		if v == nil {
			t.Errorf("%s %s: %s v%s missing", engine, role, m.Name, s.Metric["version"])
			continue
		}
		have, ok, direct := versionValue(v, role, s.Metric)
		switch {
		case !direct:
			continue // counted by series only
		case math.IsNaN(want):
			if ok {
				t.Errorf("%s %s %s v%s: engine NaN, mltop %g (want unknown)", engine, role, m.Name, v.Version, have)
			}
			tl.compared[role]++
		case role == fleet.RoleWarmingUp:
			if !ok {
				t.Errorf("%s %s v%s: engine says warming up, mltop does not", engine, m.Name, v.Version)
			}
			tl.compared[role]++
		case !ok || !tl.same(role, have, want):
			t.Errorf("%s %s %s v%s: mltop %v (known %v), engine %g", engine, role, m.Name, v.Version, have, ok, want)
		}
	}
	if role == fleet.RoleWarmingUp {
		// The converse: mltop marks no version the engine does not name.
		named := map[[2]string]bool{}
		for _, s := range ref {
			named[[2]string{string(s.Metric["model"]), string(s.Metric["version"])}] = true
		}
		for _, m := range snap.Models {
			for _, v := range m.Versions {
				if v.WarmingUp && !named[[2]string{m.Name, v.Version}] {
					t.Errorf("%s: mltop marks %s v%s warming up, the engine does not", engine, m.Name, v.Version)
				}
			}
		}
	}
}
