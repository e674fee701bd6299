package report

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func f(v float64) *float64 { return &v }

func TestTable(t *testing.T) {
	step, steps := 2, 4
	s := fleet.Snapshot{
		TakenAt: time.Unix(1000, 0),
		Sources: []fleet.SourceStatus{
			{Name: "embedded", Kind: "embedded", OK: true, Latency: 12 * time.Millisecond},
			{Name: "mlflow", Kind: "mlflow", Error: "connection refused", LastSuccess: time.Unix(940, 0)},
		},
		Models: []fleet.Model{{
			Name:    "credit\x1b[31m-risk",
			Rollout: &fleet.Rollout{Phase: "Paused", Candidate: "12", Weights: map[string]float64{"12": 25}, Step: &step, Steps: &steps},
			Versions: []fleet.Version{
				{Version: "11", Track: "stable", TrafficWeight: f(75), RequestsPerSecond: f(40), ErrorRate: f(0.005),
					Latency:     fleet.Latency{P95: f(0.044)},
					Performance: map[string]float64{"auc": 0.87}, Baseline: map[string]float64{"auc": 0.88},
					GroundTruth: fleet.GroundTruth{LastLabelAgeSeconds: f(172800), LabeledFraction: f(0.05)}},
				{Version: "12", Track: "canary", TrafficWeight: f(25), Latency: fleet.Latency{Mean: f(0.05)}},
			},
		}},
	}
	var b strings.Builder
	if err := Table(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"embedded (embedded): ok 12ms", "mlflow (mlflow): error: connection refused (data 1m old)",
		"credit-risk", "44ms", "0.5%", "auc .87 (off .88)", "2d · 5.0%", "Paused 2/4 12@25%", "50ms (mean)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence reached the table:\n%q", out)
	}
}

// TestTableCleansEveryCell: a label value with an OSC 52 sequence (a
// clipboard write), a bidi override or a newline reaches no cell raw —
// the quality column's metric name included.
func TestTableCleansEveryCell(t *testing.T) {
	const osc52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
	drifted := true
	s := fleet.Snapshot{
		TakenAt: time.Unix(1000, 0),
		Sources: []fleet.SourceStatus{{Name: "prom" + osc52, Kind: "prometheus", Error: "bad\nFORGED" + osc52, Warnings: []string{"w\u202e" + osc52}}},
		Models: []fleet.Model{{
			Name:    "m" + osc52,
			Rollout: &fleet.Rollout{Phase: "Paused" + osc52, Candidate: "2\r", Weights: map[string]float64{"2\r": 10}},
			Versions: []fleet.Version{{Version: "1" + osc52, Track: "stable\t" + osc52,
				Performance: map[string]float64{"auc" + osc52: 0.9},
				Drift:       &fleet.Drift{Method: "psi" + osc52, Feature: "tenure\u009b2J", Score: f(0.3), Drifted: &drifted}}},
		}},
	}
	var b strings.Builder
	if err := Table(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == 0x202e {
			t.Fatalf("%U at %d reached the table:\n%q", r, i, out)
		}
	}
	for _, want := range []string{"auc .90", "psi .30 tenure DRIFT", "Paused", "error: bad FORGED", "warning: w"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\nFORGED") {
		t.Errorf("a value started a line:\n%s", out)
	}
}

// A source reading recorded series says how many roles; one that found
// none says nothing of them.
func TestTableSaysRecordedRoles(t *testing.T) {
	s := fleet.Snapshot{TakenAt: time.Unix(1000, 0), Sources: []fleet.SourceStatus{
		{Name: "prometheus", Kind: "prometheus", OK: true, Latency: 9 * time.Millisecond,
			Recorded: &fleet.Recorded{Roles: []fleet.Role{fleet.RoleRequestRate, fleet.RoleErrorRatio}, Of: 11}},
		{Name: "other", Kind: "prometheus", OK: true, Recorded: &fleet.Recorded{Of: 11}},
	}}
	var b strings.Builder
	if err := Table(&b, s); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "prometheus (prometheus): ok 9ms, recorded 2/11 roles\nother (prometheus): ok 0ms\n") {
		t.Errorf("sources:\n%s", out)
	}
}

// A snapshot of a past time says so first, with what is not as it was.
func TestTableSaysLookBack(t *testing.T) {
	s := fleet.Snapshot{TakenAt: time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)}
	var live strings.Builder
	if err := Table(&live, s); err != nil {
		t.Fatal(err)
	}
	s.LookBack = &fleet.LookBack{Notes: []string{"aliases are today's"}}
	var past strings.Builder
	if err := Table(&past, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(live.String(), "not live") {
		t.Errorf("a live snapshot says it is not live:\n%s", live.String())
	}
	if want := "AS IT WAS AT 2026-03-04 03:00:00 UTC — not live\n  note: aliases are today's\n"; !strings.HasPrefix(past.String(), want) {
		t.Errorf("look back:\n%s\nwant it to start %q", past.String(), want)
	}
}
