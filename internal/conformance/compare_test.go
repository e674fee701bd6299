package conformance

import (
	"math"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
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
		case fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore:
			if have, ok, _ := testenv.ModelValue(m, role); !ok || !tl.same(role, have, want) {
				t.Errorf("%s %s %s = %v (known %v), engine says %g", engine, m.Name, role, have, ok, want)
			}
			continue
		}
		v := m.Version(string(s.Metric["version"]))
		if v == nil {
			t.Errorf("%s %s: %s v%s missing", engine, role, m.Name, s.Metric["version"])
			continue
		}
		have, ok, direct := testenv.VersionValue(v, role, s.Metric)
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
