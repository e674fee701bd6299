package fleet

import (
	"math"
	"testing"
)

func TestAliasBehind(t *testing.T) {
	w := func(v float64) *float64 { return &v }
	model := func(weights map[string]*float64) *Model {
		m := &Model{Aliases: map[string]string{"champion": "11", "challenger": "12"}}
		for _, v := range []string{"10", "11", "12"} {
			if p, ok := weights[v]; ok {
				m.Versions = append(m.Versions, Version{Version: v, TrafficWeight: p})
			}
		}
		return m
	}
	cases := []struct {
		name    string
		weights map[string]*float64
		alias   string
		served  string
		weight  float64
		ok      bool
	}{
		{"promoted", map[string]*float64{"11": w(0), "12": w(100)}, "champion", "12", 100, true},
		{"alias's version gone", map[string]*float64{"12": w(100)}, "champion", "12", 100, true},
		{"split, heaviest named", map[string]*float64{"10": w(30), "11": w(0), "12": w(70)}, "champion", "12", 70, true},
		{"canary in progress", map[string]*float64{"11": w(75), "12": w(25)}, "champion", "", 0, false},
		{"weights unknown", map[string]*float64{"11": nil, "12": nil}, "champion", "", 0, false},
		{"alias's weight unknown, others none", map[string]*float64{"11": nil, "12": w(0)}, "champion", "", 0, false},
		{"not a number", map[string]*float64{"11": w(math.NaN()), "12": w(100)}, "champion", "", 0, false},
		{"no such alias", map[string]*float64{"11": w(0), "12": w(100)}, "prod", "", 0, false},
		{"no alias configured", map[string]*float64{"11": w(0), "12": w(100)}, "", "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			named, served, weight, ok := model(tc.weights).AliasBehind(tc.alias)
			if ok != tc.ok || served != tc.served || weight != tc.weight {
				t.Errorf("got %q %v %v, want %q %v %v", served, weight, ok, tc.served, tc.weight, tc.ok)
			}
			if ok && named != "11" {
				t.Errorf("named %q, want 11", named)
			}
		})
	}
	var nilModel *Model
	if _, _, _, ok := nilModel.AliasBehind("champion"); ok {
		t.Error("nil model reported")
	}
}
