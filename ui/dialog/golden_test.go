package dialog

import (
	"fmt"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

var sizes = []struct{ w, h int }{{80, 22}, {120, 38}}

// The bodies are the root's 80x24 and 120x40 frames less the status and
// key lines.
func sizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h+2) }

func TestGolden(t *testing.T) {
	outcome := func(r actions.Result) func(*testing.T, *Model) {
		return func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "drift on tenure since the promo")
			focusOn(t, m, fieldConfirm)
			press(m, "enter")
			r.ID = testID
			m.Update(DoneMsg{ID: testID, Result: r})
		}
	}
	cases := []struct {
		name  string
		plan  func() actions.Plan
		setup func(*testing.T, *Model)
	}{
		{"rollback", rollbackPlan, func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "error spike since v8")
			focusOn(t, m, fieldTyped)
			typeText(m, "payments-fraud")
			focusOn(t, m, fieldConfirm)
		}},
		{"rollback-empty", rollbackPlan, func(*testing.T, *Model) {}},
		// In a context: the title and the first line name it.
		{"rollback-context", func() actions.Plan {
			p := rollbackPlan()
			p.Context = "prod-eu"
			return p
		}, func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "error spike since v8")
		}},
		// After a canary was promoted the alias lags the traffic: the
		// meaning says which version really stops serving.
		{"rollback-promoted", func() actions.Plan {
			p := rollbackPlan()
			p.Meaning = "v9 serves 100 % although the registry names v8: v7 replaces v9 at once"
			return p
		}, func(*testing.T, *Model) {}},
		// The default is the last known good, with its serving record.
		{"rollback-last-known-good", func() actions.Plan {
			p := rollbackPlan()
			p.DefaultFrom = actions.DefaultLastKnownGood
			p.DefaultWhy = "v7 — served 9 days, err 0.3%, auc .88: last known good"
			return p
		}, func(*testing.T, *Model) {}},
		// No serving history: today's rule, and why.
		{"rollback-no-history", func() actions.Plan {
			p := rollbackPlan()
			p.DefaultWhy = "serving history unavailable (query request_rate: connection refused); v7 served before v8 (audit log)"
			return p
		}, func(*testing.T, *Model) {}},
		{"retrain", retrainPlan, func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "drift on tenure")
		}},
		// A rollout verb: the Rollout's state and the step it moves to,
		// and no summary sent.
		{"rollout-promote", func() actions.Plan {
			return actions.Plan{ID: testID, Action: actions.RolloutPromote, Title: "Promote rollout", Model: "credit-risk",
				Adapter: "argo-rollouts", Target: "https://k8s.internal:6443/apis/argoproj.io/v1alpha1/namespaces/models/rollouts",
				Timeout: 30 * time.Second, Seen: "4711", TypedName: true, ReasonRequired: true,
				Changes: []string{"rollout models/credit-risk: Paused at step 1/4, canary weight 25 (CanaryPauseStep since 05:50 UTC)",
					"step 1/4 → 2/4, weight 25 → 50, paused: yes → no"},
				Meaning: "the controller moves on to the next step (set weight 50); the steps after it run as configured",
				Evidence: &fleet.Verdict{Candidate: "12", Baseline: "11", Outcome: fleet.VerdictPass, Window: time.Hour,
					Why: "v12 is not significantly worse than v11 on error rate, latency"}}
		}, func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "canary verdict: better")
		}},
		// An abort with the judge's fail as its evidence: the worse
		// quantity, by how much, and the p-value.
		{"rollout-abort", func() actions.Plan {
			worse := func(f float64) *float64 { return &f }
			return actions.Plan{ID: testID, Action: actions.RolloutAbort, Title: "Abort rollout", Model: "credit-risk",
				Adapter: "argo-rollouts", Target: "https://k8s.internal:6443/apis/argoproj.io/v1alpha1/namespaces/models/rollouts",
				Timeout: 30 * time.Second, Seen: "4711", ReasonRequired: true,
				Changes: []string{"rollout models/credit-risk: Paused at step 1/4, canary weight 25 (CanaryPauseStep since 05:50 UTC)",
					"weight 25 → 0, aborted: no → yes"},
				Meaning: "abort: traffic returns to stable v11 at once; the canary scales down",
				Evidence: &fleet.Verdict{Candidate: "12", Baseline: "11", Outcome: fleet.VerdictFail, Window: time.Hour,
					Rows: []fleet.VerdictRow{{Quantity: "error_rate", Method: "msprt two-proportion", Candidate: worse(0.012),
						Baseline: worse(0.003), Comparison: "worse", PValue: worse(0.003)}}}}
		}, func(*testing.T, *Model) {}},
		// A silence: its matchers, until when, what fires now (and who
		// silenced it already), and the length picker.
		{"silence", silencePlan, func(t *testing.T, m *Model) {
			focusOn(t, m, fieldReason)
			typeText(m, "known: upstream outage INC-42")
		}},
		{"silence-nothing-fires", func() actions.Plan {
			p := silencePlan()
			p.Changes = []string{`silence model="payments-fraud", alertname="ModelErrorRate"`, "for 2h, until 2026-03-14 14:00 UTC",
				"nothing fires now; the silence will hold new ones"}
			return p
		}, func(*testing.T, *Model) {}},
		{"silence-done", silencePlan, outcome(actions.Result{Outcome: actions.Succeeded, Status: 200, RunID: "5bd3ad4f-4cbe-4f7d-9a58-4c5a8a1f2c11",
			Message: "silenced until 2026-03-14 14:00 UTC (silence 5bd3ad4f-4cbe-4f7d-9a58-4c5a8a1f2c11)", Duration: 9 * time.Millisecond, Recorded: true})},
		{"refusal", func() actions.Plan {
			p := rollbackPlan()
			p.Refusal = "v7 already serves payments-fraud"
			p.Warnings = []string{"could not read the audit log: permission denied"}
			return p
		}, func(*testing.T, *Model) {}},
		{"done", retrainPlan, outcome(actions.Result{Outcome: actions.Succeeded, Status: 200, RunID: "mltop-00000000000000aa",
			RunURL:  "http://127.0.0.1:8080/dags/retrain_churn/grid?dag_run_id=mltop-00000000000000aa",
			Message: "dag run created", Duration: 41 * time.Millisecond, Recorded: true})},
		{"failed", retrainPlan, outcome(actions.Result{Outcome: actions.Failed, Status: 409,
			Message: "Airflow answered 409: DAGRun with dag_run_id mltop-00000000000000aa already exists", Duration: 12 * time.Millisecond, Recorded: true})},
		{"unknown", retrainPlan, outcome(actions.Result{Outcome: actions.Unknown,
			Message: "no answer within 30s; the request was sent and not retried; check Airflow: a run mltop-00000000000000aa of DAG retrain_churn may or may not exist",
			Check:   "check Airflow: a run mltop-00000000000000aa of DAG retrain_churn may or may not exist", Duration: 30 * time.Second, Recorded: true})},
	}
	for _, tc := range cases {
		for _, sz := range sizes {
			name := tc.name + "-dark-" + sizeName(sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				m, _ := open(t, tc.plan(), sz.w, sz.h)
				tc.setup(t, m)
				v := m.View()
				uitest.CheckFits(t, v, sz.w, sz.h)
				uitest.Golden(t, name, v)
			})
		}
	}
}

func TestFitsNarrowBodies(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{40, 10}, {60, 14}, {200, 48}} {
		m, _ := open(t, rollbackPlan(), sz.w, sz.h)
		uitest.CheckFits(t, m.View(), sz.w, sz.h)
	}
}
