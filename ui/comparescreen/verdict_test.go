package comparescreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestDelta(t *testing.T) {
	cases := []struct {
		u    unit
		d    float64
		want string
	}{
		{unitScore, 0.03, "+.03"}, {unitScore, -0.004, "-.004"}, {unitScore, 1.4, "+1.4"},
		{unitSeconds, 0.003, "+3ms"}, {unitRatio, -0.001, "-0.1pp"}, {unitRatio, 0.0008, "+0.08pp"},
		{unitRate, -26.9, "-26.9/s"}, {unitWeight, -50, "-50pp"}, {unitAge, 7200, "+2h"}, {unitScore, 0, "0"},
		{unitScore, 0.0004, "0"}, // never "+.000"
	}
	for _, tc := range cases {
		if got := tc.u.delta(tc.d); got != tc.want {
			t.Errorf("delta(%v, %v) = %q, want %q", tc.u, tc.d, got, tc.want)
		}
	}
}

// regression replaces credit-risk's quality by error metrics (demand
// forecasting style), with v12 missing its error ratio and latency.
func regression(c *common.Common) {
	s := uitest.Snapshot()
	for i := range s.Models {
		m := &s.Models[i]
		if m.Name != "credit-risk" {
			continue
		}
		a, b := m.Version("11"), m.Version("12")
		a.Baseline, b.Baseline = map[string]float64{"rmse": 12.4, "mae": 7.9}, map[string]float64{"rmse": 11.0, "mae": 7.95, "r2": 0.8}
		a.Performance, b.Performance = map[string]float64{"rmse": 12.8}, map[string]float64{"rmse": 13.9}
		b.ErrorRate, b.Latency = nil, fleet.Latency{}
		b.Drift.Features[0].Drifted = boolp(true)
	}
	c.Snapshot = &s
}

func boolp(b bool) *bool { return &b }

func TestRowsAreDirectionAware(t *testing.T) {
	c := uitest.Common("dark")
	regression(c)
	c.History = &uitest.Provider{}
	m := New(c, "credit-risk", "", "")
	m.SetSize(200, 50)
	withHistory(m, c, 100)
	v := uitest.Plain(m)
	want := map[string]string{
		"rmse":        "rmse 12.4 11 ▲ -1.4 v12",         // offline: lower RMSE is better
		"mae":         "mae 7.9 7.95 ≈ +.05 ≈",           // within 1 % relative
		"r2":          "r2 — .80 —",                      // unknown on one side: no verdict
		"error ratio": "error ratio 0.5% — —",            // unknown, never 0
		"latency p95": "latency p95 44ms — —",            //
		"income psi":  "income psi .03 .02 ⚠ ▲ -.01 v12", // drifted is flagged; still lower is better
	}
	for label, w := range want {
		if got := strings.Join(strings.Fields(rowOf(v, label)), " "); got != w {
			t.Errorf("row %s = %q, want %q", label, got, w)
		}
	}
	// Live rmse rose, but without an interval or a verdict row nothing
	// says whether the labels behind it can tell: Δ only, no winner.
	live := strings.SplitN(v, "Live quality", 2)[1]
	if got := strings.Join(strings.Fields(rowOf(live, "rmse")), " "); got != "rmse 12.8 13.9 +1.1" {
		t.Errorf("live rmse = %q", got)
	}
	// The graphs follow the headline metric: rmse here.
	if !strings.Contains(v, "rmse (live)  v11 ─ no data  v12 ─ no data") {
		t.Errorf("no rmse graph:\n%s", v)
	}
}

func TestStaleRowsDimmedWithAge(t *testing.T) {
	c := uitest.Common("dark")
	s := *c.Snapshot
	s.Queries = []fleet.QueryStatus{
		{Name: "error_ratio", Role: fleet.RoleErrorRatio, Source: "embedded", OK: false, LastSuccess: uitest.Now.Add(-90 * 1e9)},
		{Name: "request_rate", Role: fleet.RoleRequestRate, Source: "embedded", OK: true, LastSuccess: uitest.Now},
	}
	s.Sources = append([]fleet.SourceStatus(nil), s.Sources...)
	s.Sources[1].OK, s.Sources[1].LastSuccess = false, uitest.Now.Add(-5*60*1e9)
	c.Snapshot = &s
	m := New(c, "credit-risk", "", "")
	m.SetSize(200, 50)
	v := uitest.Plain(m)
	if got := rowOf(v, "error ratio"); !strings.Contains(got, "⏲ 1m32s old") {
		t.Errorf("stale error ratio row: %q", got)
	}
	if got := rowOf(v, "request rate"); strings.Contains(got, "⏲") {
		t.Errorf("fresh row marked stale: %q", got)
	}
	if got := rowOf(v, "Offline"); !strings.Contains(got, "⏲ 5m2s old") {
		t.Errorf("registry down: offline heading %q", got)
	}
	if got := rowOf(v, "Lineage"); !strings.Contains(got, "⏲") {
		t.Errorf("registry down: lineage heading %q", got)
	}
	styled := m.View()
	if !strings.Contains(styled, c.Theme.Stale.Render("0.5%")) {
		t.Error("stale values are not drawn in the Stale style")
	}
}
