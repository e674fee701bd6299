package comparescreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func fp(v float64) *float64 { return &v }

// twoMethods is the fixture with credit-risk's drift as the demo shows it
// once the drift job scores only the serving version: v12 scored by the
// job (psi, exported) and by mltop (wasserstein, computed), v11 by mltop
// alone. The exported psi comes first in v12's list, so a comparison that
// took one score per feature would pair psi with wasserstein.
func twoMethods() fleet.Snapshot {
	s := uitest.Snapshot()
	for i := range s.Models {
		m := &s.Models[i]
		if m.Name != "credit-risk" {
			continue
		}
		wass := func(score float64) fleet.FeatureDrift {
			return fleet.FeatureDrift{Feature: "income", Score: score, Method: "wasserstein", Threshold: fp(0.1), Source: fleet.DriftComputed}
		}
		v11, v12 := m.Version("11"), m.Version("12")
		v11.Drift.Features = []fleet.FeatureDrift{wass(0.06)}
		v12.Drift.Features = []fleet.FeatureDrift{
			{Feature: "income", Score: 0.02, Method: "psi", Threshold: fp(0.1), Source: fleet.DriftExported}, wass(0.02)}
	}
	return s
}

func openTwoMethods(t *testing.T, w, h int) *Model {
	t.Helper()
	c := uitest.Common("dark")
	s := twoMethods()
	c.Snapshot = &s
	c.History = &uitest.Provider{}
	m := New(c, "credit-risk", "", "")
	m.SetSize(w, h)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 180)})
	return m
}

func TestGoldenSameMethodBothSides(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-methods-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			view := openTwoMethods(t, sz[0], sz[1]).View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
}

// The same method sits on both sides with a Δ; a method one side lacks
// gets its own row with that side empty.
func TestDriftPairsTheSameMethod(t *testing.T) {
	v := uitest.Plain(openTwoMethods(t, 200, 50))
	wass := lineWith(v, "income wasserstein")
	if f := strings.Fields(wass); len(f) < 5 || f[2] != ".06" || f[3] != ".02" || f[4] != "▲" {
		t.Errorf("wasserstein row is not .06 against .02 with a Δ: %q", wass)
	}
	psi := lineWith(v, "income psi")
	if f := strings.Fields(psi); len(f) < 4 || f[2] != "—" || f[3] != ".02" {
		t.Errorf("psi row is not — against .02: %q", psi)
	}
}

func TestPairByMethod(t *testing.T) {
	fd := func(method string) *fleet.FeatureDrift { return &fleet.FeatureDrift{Feature: "x", Method: method} }
	name := func(ps [][2]*fleet.FeatureDrift) string {
		var out []string
		for _, p := range ps {
			s := ""
			for _, f := range p {
				if f == nil {
					s += "-,"
				} else {
					s += f.Method + ","
				}
			}
			out = append(out, strings.TrimSuffix(s, ","))
		}
		return strings.Join(out, " ")
	}
	cases := []struct {
		a, b []*fleet.FeatureDrift
		want string
	}{
		{[]*fleet.FeatureDrift{fd("psi"), fd("wasserstein")}, []*fleet.FeatureDrift{fd("wasserstein")}, "wasserstein,wasserstein psi,-"},
		{[]*fleet.FeatureDrift{fd("wasserstein")}, []*fleet.FeatureDrift{fd("psi"), fd("wasserstein")}, "wasserstein,wasserstein -,psi"},
		// Aliases of one method pair.
		{[]*fleet.FeatureDrift{fd("js")}, []*fleet.FeatureDrift{fd("jensenshannon")}, "js,jensenshannon"},
		// Nothing in common, one each: shown together, without a Δ.
		{[]*fleet.FeatureDrift{fd("psi")}, []*fleet.FeatureDrift{fd("ks")}, "psi,ks"},
		{nil, []*fleet.FeatureDrift{fd("psi")}, "-,psi"},
		{[]*fleet.FeatureDrift{fd("psi")}, nil, "psi,-"},
	}
	for _, tc := range cases {
		if got := name(pairByMethod(tc.a, tc.b)); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
}

// lineWith returns the first line of view containing s, or "".
func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
