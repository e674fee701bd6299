package dialog

import (
	"context"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeActions plans from fixed plans and counts what it is asked.
type fakeActions struct {
	mu       sync.Mutex
	plans    map[string]actions.Plan // by Request.To ("" = the first plan)
	planned  []actions.Request
	executed []actions.Request
	result   actions.Result
}

func (f *fakeActions) Plan(_ context.Context, req actions.Request) (actions.Plan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.planned = append(f.planned, req)
	p := f.plans[req.To]
	p.ID = req.ID
	return p, nil
}

func (f *fakeActions) Execute(_ context.Context, req actions.Request) actions.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.executed = append(f.executed, req)
	r := f.result
	r.ID = req.ID
	return r
}

func (f *fakeActions) Specs() []actions.Spec { return nil }
func (f *fakeActions) ReadOnly() bool        { return false }
func (f *fakeActions) AuditRecords(audit.Filter) ([]audit.Record, int, error) {
	return nil, 0, nil
}

func (f *fakeActions) executions() []actions.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]actions.Request(nil), f.executed...)
}

const testID = "mltop-00000000000000aa"

// rollbackPlan is a rollback of the fixture's payments-fraud (risk tier
// high) from v8 to v7, the default from the audit log.
func rollbackPlan() actions.Plan {
	return actions.Plan{
		ID: testID, Action: actions.Rollback, Title: "Roll back", Model: "payments-fraud",
		Adapter: "mlflow-alias", Target: "http://127.0.0.1:5000/api/2.0/mlflow/registered-models/alias",
		Timeout: 30 * time.Second, From: "8", To: "7", DefaultTo: "7", DefaultFrom: "audit log",
		Candidates: []actions.Candidate{
			{Version: "9", Status: "READY", Aliases: []string{"challenger"}, Created: uitest.Now.Add(-2 * time.Hour)},
			{Version: "7", Status: "READY", Created: uitest.Now.Add(-5 * 24 * time.Hour), Default: true, Description: "retrained on Q3 data"},
			{Version: "6", Status: "READY", Created: uitest.Now.Add(-30 * 24 * time.Hour)},
		},
		Changes:   []string{"alias champion: 8 → 7"},
		Meaning:   "traffic returns to v7 at once; the canary v9 is untouched",
		TypedName: true, ReasonRequired: true,
	}
}

func retrainPlan() actions.Plan {
	score, q, base := 0.31, 0.81, 0.88
	return actions.Plan{
		ID: testID, Action: actions.Retrain, Title: "Retrain", Model: "churn-predictor",
		Adapter: "airflow", Target: "http://airflow.internal:8080/api/v1/dags/retrain_churn/dagRuns",
		Timeout: 30 * time.Second, From: "3",
		Changes: []string{"starts a run of DAG retrain_churn on airflow.internal:8080 for churn-predictor (serving v3)"},
		Meaning: "an Airflow run starts; nothing serves differently until the new version is registered and passes its rollout",
		Summary: actions.Summary{Health: "warn", Findings: []string{"v3: auc 0.81 is 8% below offline"},
			DriftFeature: "tenure", DriftMethod: "psi", DriftScore: &score, Metric: "auc", Quality: &q, Baseline: &base},
		ReasonRequired: true,
	}
}

// snapshotModel is the fixture's model of that name.
func snapshotModel(name string) *fleet.Model {
	s := uitest.Snapshot()
	for i := range s.Models {
		if s.Models[i].Name == name {
			return &s.Models[i]
		}
	}
	return nil
}

// open is an armed dialog for plan over a w×h body, with fake actions.
func open(t *testing.T, plan actions.Plan, w, h int) (*Model, *fakeActions) {
	t.Helper()
	fa := &fakeActions{plans: map[string]actions.Plan{plan.To: plan}, result: actions.Result{Outcome: actions.Succeeded, Recorded: true}}
	c := uitest.Common("dark")
	c.Actions = fa
	req := actions.Request{ID: plan.ID, Action: plan.Action, Model: plan.Model, Actor: c.Actor(), Snapshot: snapshotModel(plan.Model)}
	m := New(c, req, plan)
	m.SetSize(w, h)
	m.Update(ArmedMsg{ID: plan.ID})
	return m, fa
}

// press sends keys and returns every non-nil command they produced.
func press(m *Model, keys ...string) []tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		if _, cmd := m.Update(uitest.Press(k)); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// run runs commands and returns the messages of those that produce the
// dialog's own messages (plans, outcomes); cursor blinks and the like are
// skipped.
func run(cmds ...tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for _, c := range cmds {
		switch msg := c().(type) {
		case PlannedMsg, DoneMsg:
			out = append(out, msg)
		case tea.BatchMsg:
			out = append(out, run(msg...)...)
		}
	}
	return out
}

// focusOn tabs until the focus is on f, or fails.
func focusOn(t *testing.T, m *Model, f field) {
	t.Helper()
	for range 10 {
		if m.focus == f {
			return
		}
		press(m, "tab")
	}
	t.Fatalf("focus never reached %v (at %v)", f, m.focus)
}

var _ common.Actions = (*fakeActions)(nil)
