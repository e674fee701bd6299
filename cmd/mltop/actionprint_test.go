package main

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
)

// TestActionOutputIsCleaned: what the target answered (the MLflow error,
// a webhook's run id and url) and what the registry said (versions,
// warnings) is printed cleaned, one line each, by rollback and retrain.
func TestActionOutputIsCleaned(t *testing.T) {
	const osc52, osc0 = "\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b]0;pwned\x07"
	p := actions.Plan{ID: "mltop-1", Action: actions.Rollback, Title: "Roll back", Model: "fraud" + osc0, Adapter: "mlflow-alias",
		Target: "http://mlflow" + osc52, Timeout: time.Minute, To: "7", DefaultTo: "7", DefaultFrom: "registry history" + osc0,
		Candidates: []actions.Candidate{{Version: "7"}, {Version: "6\u202e9"}},
		Changes:    []string{"alias champion: 8 → 7" + osc52}, Meaning: "traffic moves\nFORGED", Warnings: []string{"note\r" + osc0}}
	r := actions.Result{ID: "mltop-1", Outcome: actions.Failed, Message: "mlflow says" + osc52 + "\nFORGED", Status: 400,
		RunID: "run" + osc0, RunURL: "https://ci.example/" + osc52, Recorded: true}
	var b strings.Builder
	printPlan(&b, p, actions.Request{Reason: "why" + osc0})
	printResult(&b, r)
	out := b.String()
	if where, bad := terminalActs(out); bad {
		t.Errorf("output carries %s:\n%q", where, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "FORGED") {
			t.Errorf("a value forged a line: %q", line)
		}
	}
	for _, want := range []string{"FAILED: mlflow says FORGED (HTTP 400)", "  run run\n", "  https://ci.example/\n", "also ready: 69 (--to)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A rollout verb's plan prints the canary's verdict as its evidence, the
// worse quantities with their difference and p-value; other actions none.
func TestRolloutPlanPrintsEvidence(t *testing.T) {
	p95 := func(f float64) *float64 { return &f }
	v := fleet.Verdict{Candidate: "12", Baseline: "11", Outcome: fleet.VerdictFail, Window: time.Hour,
		Rows: []fleet.VerdictRow{{Quantity: "error_rate", Method: "msprt two-proportion", Candidate: p95(0.012), Baseline: p95(0.003),
			Comparison: "worse", PValue: p95(0.003)}}}
	p := actions.Plan{ID: "mltop-1", Action: actions.RolloutAbort, Title: "Abort rollout", Model: "fraud", Adapter: "argo-rollouts",
		Timeout: time.Minute, Evidence: &v}
	var b strings.Builder
	printPlan(&b, p, actions.Request{})
	if want := "  evidence: ✖ v12 vs v11 over 1h: fail — significantly worse on error rate (+0.9pp, always-valid p .003)\n"; !strings.Contains(b.String(), want) {
		t.Errorf("plan lacks %q:\n%s", want, b.String())
	}
	b.Reset()
	p.Action, p.Evidence = actions.Retrain, nil
	printPlan(&b, p, actions.Request{})
	if strings.Contains(b.String(), "evidence") {
		t.Errorf("a retrain plan shows evidence:\n%s", b.String())
	}
}

// A rollback plan prints why its default target: the last known good's
// serving record, right under the default.
func TestRollbackPlanPrintsTheLastKnownGood(t *testing.T) {
	p := actions.Plan{ID: "mltop-1", Action: actions.Rollback, Title: "Roll back", Model: "fraud", Adapter: "mlflow-alias",
		Timeout: time.Minute, From: "8", To: "7", DefaultTo: "7", DefaultFrom: actions.DefaultLastKnownGood,
		DefaultWhy: "v7 — served 9 days, err 0.3%, auc .88: last known good", Candidates: []actions.Candidate{{Version: "7"}, {Version: "6"}}}
	var b strings.Builder
	printPlan(&b, p, actions.Request{})
	want := "  default target v7, from the last known good; also ready: 6 (--to)\n  v7 — served 9 days, err 0.3%, auc .88: last known good\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("plan lacks %q:\n%s", want, b.String())
	}
}
