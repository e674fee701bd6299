package root

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/ui/uitest"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
)

// fakeExecutor plans a rollback or retrain of whatever model it is asked
// for and counts every call, as the executor would see them.
type fakeExecutor struct {
	mu       sync.Mutex
	specs    []actions.Spec
	readOnly bool
	planned  []actions.Request
	executed []actions.Request
	records  []audit.Record
}

func newFakeExecutor() *fakeExecutor {
	return &fakeExecutor{specs: []actions.Spec{
		{Action: actions.Rollback, Key: "R", Title: "Roll back", Kind: "mlflow-alias", Role: "operator", Dangerous: true},
		{Action: actions.Retrain, Key: "T", Title: "Retrain", Kind: "webhook", Role: "operator"},
		{Action: "p", Key: "p", Title: "Promote", Kind: "webhook", Role: "operator", States: []string{"warn"}},
	}}
}

func (f *fakeExecutor) Plan(_ context.Context, req actions.Request) (actions.Plan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.planned = append(f.planned, req)
	p := actions.Plan{ID: req.ID, Action: req.Action, Model: req.Model, Timeout: 30 * time.Second,
		ReasonRequired: true, Adapter: "webhook", Target: "http://127.0.0.1:9/hook"}
	switch req.Action {
	case actions.Rollback:
		to := req.To
		if to == "" {
			to = "7"
		}
		p.Title, p.Adapter, p.From, p.To, p.DefaultTo, p.DefaultFrom = "Roll back", "mlflow-alias", "8", to, "7", "registry history"
		p.Target = "http://127.0.0.1:5000/api/2.0/mlflow/registered-models/alias"
		p.Candidates = []actions.Candidate{{Version: "7", Default: true}, {Version: "6"}}
		p.Changes = []string{"alias champion: 8 → " + to}
		p.Meaning = "traffic returns to v" + to + " at once"
		p.TypedName = req.Snapshot != nil && req.Snapshot.Tags["risk_tier"] == "high"
	case actions.Silence:
		p.Title, p.Adapter, p.For = "Silence alerts", "alertmanager", req.For
		p.Target = "http://127.0.0.1:9093/api/v2/silences"
		p.Changes = []string{`silence model="` + req.Model + `"`, "for " + actions.DurationText(req.For) + ", until 2026-03-14 14:00 UTC",
			"nothing fires now; the silence will hold new ones"}
	case actions.Retrain:
		p.Title = "Retrain"
		p.Changes = []string{"POST http://127.0.0.1:9/hook"}
		p.Meaning = "the pipeline behind the webhook starts"
	default:
		p.Title = "Promote"
	}
	return p, nil
}

func (f *fakeExecutor) Execute(_ context.Context, req actions.Request) actions.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.executed = append(f.executed, req)
	return actions.Result{ID: req.ID, Action: req.Action, Model: req.Model, Outcome: actions.Succeeded,
		Message: "alias champion now points at v7", Status: 200, Duration: 41 * time.Millisecond, Recorded: true}
}

func (f *fakeExecutor) Specs() []actions.Spec { return f.specs }
func (f *fakeExecutor) ReadOnly() bool        { return f.readOnly }
func (f *fakeExecutor) AuditRecords(flt audit.Filter) ([]audit.Record, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return audit.Select(f.records, flt), 0, nil
}

func (f *fakeExecutor) counts() (plans, executes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.planned), len(f.executed)
}

// actionRoot is a root with the real screens over the fixture fleet,
// where payments-fraud (risk tier high, critical) is selected, and fake actions.
func actionRoot(t *testing.T, w, h int, tweak func(*common.Common)) (*Model, *fakeExecutor) {
	t.Helper()
	fx := newFakeExecutor()
	c := newTestCommon("dark")
	if tweak != nil {
		tweak(c)
	}
	m := newRoot(t, "dark", w, h, Options{Common: c, Actions: fx})
	return m, fx
}

func TestRollbackFlow(t *testing.T) {
	m, fx := actionRoot(t, 120, 40, nil)
	if line := ansi.Strip(keyLineText(m)); !strings.Contains(line, "R roll back") || !strings.Contains(line, "T retrain") || !strings.Contains(line, "? help") {
		t.Fatalf("the key line does not offer the actions: %q", line)
	}
	deliver(m, press(m, "R"))
	if m.overlay != overlayDialog || m.act.dialog == nil {
		t.Fatalf("the plan arrived but no dialog opened; flash %q", m.flash.text)
	}
	got := ansi.Strip(view(m))
	for _, w := range []string{"Roll back payments-fraud", "alias champion: 8 → 7", "traffic returns to v7 at once",
		"risk tier HIGH — type the model name to confirm", "[ Cancel ]", "[ Roll back ]"} {
		if !strings.Contains(got, w) {
			t.Errorf("dialog lacks %q:\n%s", w, got)
		}
	}
	// Typed ahead before the guard lifts: nothing happens.
	press(m, "tab", "tab", "enter", "esc")
	if m.act.dialog == nil || m.act.dialog.Sending() {
		t.Fatal("keys typed before the dialog armed took effect")
	}
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})

	// The caret is in the reason; enter after the right name moves onto
	// Roll back, and one more enter sends.
	typeText(m, "error spike since v8")
	press(m, "tab")
	typeText(m, "payments-fraud")
	press(m, "enter")
	if _, n := fx.counts(); n != 0 {
		t.Fatal("enter after the typed name sent the request")
	}
	cmd := press(m, "enter")
	// Repeated presses while the request is out.
	press(m, "enter", "enter")
	if !strings.Contains(ansi.Strip(view(m)), "sending…") {
		t.Errorf("no sending… after confirming:\n%s", ansi.Strip(view(m)))
	}
	deliver(m, cmd)
	if _, n := fx.counts(); n != 1 {
		t.Fatalf("%d Execute calls, want exactly 1", n)
	}
	req := fx.executed[0]
	if req.Model != "payments-fraud" || req.To != "7" || req.Reason != "error spike since v8" || req.Confirm != "payments-fraud" ||
		req.Actor.User != "ana" || req.Actor.Role != "operator" || req.ID != fx.planned[0].ID {
		t.Errorf("executed %+v", req)
	}
	if got := ansi.Strip(view(m)); !strings.Contains(got, "✔ done") || !strings.Contains(got, "alias champion now points at v7") {
		t.Errorf("the outcome does not replace the dialog:\n%s", got)
	}
	// Keys within the outcome's guard do nothing.
	press(m, "esc")
	if m.act.dialog == nil {
		t.Fatal("esc as the outcome appeared closed it")
	}
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	press(m, "esc")
	if m.overlay != overlayNone || m.act.dialog != nil {
		t.Fatal("esc does not close the outcome")
	}
	if _, n := fx.counts(); n != 1 {
		t.Fatalf("%d Execute calls after closing, want 1", n)
	}
}

func TestDialogGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := actionRoot(t, sz[0], sz[1], nil)
		deliver(m, press(m, "R"))
		m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
		typeText(m, "error spike since v8")
		v := view(m)
		assertFits(t, v, sz[0], sz[1])
		uitest.Golden(t, fmt.Sprintf("rollback-dialog-dark-%dx%d", sz[0], sz[1]), v)
	}
}

func TestCancelledPlanIsDropped(t *testing.T) {
	m, _ := actionRoot(t, 120, 40, nil)
	cmd := press(m, "R")
	if !strings.Contains(m.flash.text, "planning: roll back payments-fraud") {
		t.Errorf("no word while planning: %q", m.flash.text)
	}
	press(m, "esc")
	deliver(m, cmd)
	if m.act.dialog != nil {
		t.Fatal("a plan that came after esc opened a dialog")
	}
	// A plan overtaken by another key press is dropped too.
	first := press(m, "R")
	press(m, "down")
	second := press(m, "T")
	deliver(m, first)
	if m.act.dialog != nil {
		t.Fatal("the first plan opened a dialog after a second was asked")
	}
	deliver(m, second)
	if m.act.dialog == nil || !strings.Contains(ansi.Strip(view(m)), "Retrain image-tagger") {
		t.Fatalf("the second plan did not open its dialog:\n%s", ansi.Strip(view(m)))
	}
}

func TestReadOnlyHidesActionKeys(t *testing.T) {
	m, fx := actionRoot(t, 120, 40, func(c *common.Common) { c.ReadOnly = true })
	if line := keyLineText(m); strings.Contains(line, "roll back") || strings.Contains(line, "retrain") {
		t.Errorf("read-only key line shows actions: %q", line)
	}
	press(m, "R")
	if m.flash.text != "read-only: actions are disabled" {
		t.Errorf("R in read-only says %q", m.flash.text)
	}
	press(m, "T")
	if plans, _ := fx.counts(); plans != 0 {
		t.Errorf("read-only asked for %d plans", plans)
	}
	// The executor's own read-only counts too.
	m2, fx2 := actionRoot(t, 120, 40, nil)
	fx2.readOnly = true
	press(m2, "R")
	if m2.flash.text != "read-only: actions are disabled" {
		t.Errorf("R with a read-only executor says %q", m2.flash.text)
	}
}

func TestViewerSeesActionsGreyed(t *testing.T) {
	m, fx := actionRoot(t, 120, 40, func(c *common.Common) { c.Role = "viewer" })
	line := keyLineText(m)
	if !strings.Contains(ansi.Strip(line), "R roll back") {
		t.Fatalf("a viewer does not see the rollback key at all: %q", ansi.Strip(line))
	}
	if strings.Contains(line, m.c.Theme.Key.Render("R")) {
		t.Error("the rollback key is drawn as enabled for a viewer")
	}
	press(m, "R")
	if want := "roll back needs the operator role; you have viewer"; m.flash.text != want {
		t.Errorf("R as a viewer says %q, want %q", m.flash.text, want)
	}
	if plans, _ := fx.counts(); plans != 0 {
		t.Error("a viewer's R asked for a plan")
	}
}

func TestCustomActionStates(t *testing.T) {
	m, fx := actionRoot(t, 200, 50, nil)
	// payments-fraud is critical; promote is allowed only while warn.
	press(m, "p")
	if !strings.Contains(m.flash.text, "promote is allowed only while the model is warn; payments-fraud is critical") {
		t.Errorf("p on a critical model says %q", m.flash.text)
	}
	if plans, _ := fx.counts(); plans != 0 {
		t.Fatal("a disallowed custom action asked for a plan")
	}
	press(m, "down", "down") // credit-risk: warn
	deliver(m, press(m, "p"))
	if m.act.dialog == nil || m.act.dialog.Model() != "credit-risk" {
		t.Fatalf("p on a warn model did not open its dialog (flash %q)", m.flash.text)
	}
}

func TestActionKeysOnModelScreens(t *testing.T) {
	m, fx := actionRoot(t, 120, 40, nil)
	press(m, "down", "enter") // image-tagger's detail
	deliver(m, press(m, "T"))
	if plans, _ := fx.counts(); plans != 1 || fx.planned[0].Model != "image-tagger" || fx.planned[0].Snapshot == nil {
		t.Fatalf("T on the detail screen planned %+v", fx.planned)
	}
}

func TestOutcomeAfterHidingGoesToStatusLine(t *testing.T) {
	m, _ := actionRoot(t, 120, 40, nil)
	press(m, "down")
	deliver(m, press(m, "T"))
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	typeText(m, "drift")
	press(m, "tab", "tab")
	cmd := press(m, "enter")
	press(m, "esc")
	if m.act.dialog != nil {
		t.Fatal("esc while sending did not hide the dialog")
	}
	deliver(m, cmd)
	if !strings.Contains(m.flash.text, "retrain of image-tagger: ✔ done") {
		t.Errorf("the outcome of a hidden dialog is not on the status line: %q", m.flash.text)
	}
}

func TestNoExecutorNoActionKeys(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	if line := keyLineText(m); strings.Contains(line, "roll back") {
		t.Errorf("action keys without an executor: %q", line)
	}
	press(m, "R")
	if m.flash.text != "" || m.overlay != overlayNone {
		t.Errorf("R without an executor did something: %q", m.flash.text)
	}
}

func TestAuditCommand(t *testing.T) {
	m, fx := actionRoot(t, 120, 40, nil)
	fx.records = []audit.Record{{Time: m.c.Now, ID: "mltop-4f0c1a2b3c4d5e6f", State: audit.Succeeded, Action: "rollback",
		Model: "payments-fraud", Actor: audit.Actor{User: "ana"}, Before: map[string]string{"version": "8"},
		After: map[string]string{"version": "7"}, Reason: "error spike"}}
	press(m, ":")
	typeText(m, "audit payments-fraud")
	cmd := press(m, "enter")
	for _, msg := range uitest.Run(cmd) {
		m.Update(msg)
	}
	if st := m.Stack(); len(st) != 2 || st[1] != "audit payments-fraud" {
		t.Fatalf("stack %v after :audit payments-fraud", st)
	}
	got := ansi.Strip(view(m))
	if !strings.Contains(got, "v8 → v7") || !strings.Contains(got, "error spike") {
		t.Errorf("the audit screen does not list the record:\n%s", got)
	}
	// / filters the audit log, not the fleet.
	press(m, "/")
	if len(m.Stack()) != 2 || m.overlay == overlayFilter {
		t.Errorf("/ on the audit screen went to the fleet filter: stack %v", m.Stack())
	}
	if line := keyLineText(m); strings.Contains(line, "roll back") {
		t.Errorf("the audit screen offers action keys: %q", line)
	}
}

// keyLineText is the bottom line of the frame, with its styles.
func keyLineText(m *Model) string {
	lines := strings.Split(view(m), "\n")
	return lines[len(lines)-1]
}
