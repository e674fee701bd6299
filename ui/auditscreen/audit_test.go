package auditscreen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeLog serves fixed records through common.Actions and counts reads.
type fakeLog struct {
	mu      sync.Mutex
	records []audit.Record
	torn    int
	err     error
	reads   int
	filters []audit.Filter
}

func (f *fakeLog) Plan(context.Context, actions.Request) (actions.Plan, error) {
	return actions.Plan{}, errors.New("not here")
}
func (f *fakeLog) Execute(context.Context, actions.Request) actions.Result { return actions.Result{} }
func (f *fakeLog) Specs() []actions.Spec                                   { return nil }
func (f *fakeLog) ReadOnly() bool                                          { return false }
func (f *fakeLog) AuditRecords(flt audit.Filter) ([]audit.Record, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	f.filters = append(f.filters, flt)
	return audit.Select(f.records, flt), f.torn, f.err
}

var _ common.Actions = (*fakeLog)(nil)

// records is a night of actions: a rollback that succeeded, a retrain
// whose answer never came, a refused rollback by a viewer, a failed
// custom action.
func records() []audit.Record {
	at := func(min, ms int) time.Time {
		return uitest.Now.Add(time.Duration(min)*time.Minute + time.Duration(ms)*time.Millisecond)
	}
	ana := audit.Actor{User: "ana", Role: "operator", Host: "laptop"}
	rb := func(t time.Time, st audit.State, resp *audit.Response, dur float64) audit.Record {
		return audit.Record{Time: t, ID: "mltop-4f0c1a2b3c4d5e6f", State: st, Actor: ana, Action: "rollback",
			Model: "payments-fraud", Before: map[string]string{"alias": "champion", "version": "8"},
			After: map[string]string{"alias": "champion", "version": "7"}, Reason: "error spike since v8",
			Adapter: "mlflow-alias", Target: "http://127.0.0.1:5000/api/2.0/mlflow/registered-models/alias",
			Response: resp, Duration: dur}
	}
	rt := func(t time.Time, st audit.State, resp *audit.Response) audit.Record {
		return audit.Record{Time: t, ID: "mltop-9a8b7c6d5e4f3a2b", State: st, Actor: ana, Action: "retrain",
			Model: "churn-predictor", Before: map[string]string{"version": "3"}, Reason: "drift on tenure",
			Adapter: "airflow", Target: "http://airflow:8080/api/v1/dags/retrain/dagRuns", Response: resp}
	}
	return []audit.Record{
		{Time: uitest.Now.Add(-26 * time.Hour), ID: "mltop-0000000000000001", State: audit.Refused,
			Actor: audit.Actor{User: "bob", Role: "viewer", KeyFingerprint: "SHA256:abc"}, Action: "rollback", Model: "credit-risk",
			Response: &audit.Response{Message: "roll back needs the operator role; bob has viewer"}},
		rb(at(-40, 0), audit.Requested, nil, 0),
		rb(at(-40, 41), audit.Succeeded, &audit.Response{Status: 200, Message: "alias champion now points at v7"}, 0.041),
		rt(at(-20, 0), audit.Requested, nil),
		rt(at(-19, 500), audit.Unknown, &audit.Response{Message: "no answer within 30s; the request was sent and not retried"}),
		{Time: at(-5, 0), ID: "mltop-1111222233334444", State: audit.Failed, Actor: ana, Action: "p", Title: "Promote canary",
			Model: "credit-risk", Before: map[string]string{"version": "11"}, Reason: "canary healthy",
			Response: &audit.Response{Status: 409, Message: "rollout already promoted"}},
	}
}

// open is the audit screen over a fake log, read once, w×h.
func open(t *testing.T, theme, model string, w, h int) (*Model, *fakeLog) {
	t.Helper()
	fl := &fakeLog{records: records(), torn: 1}
	c := uitest.Common(theme)
	c.Actions = fl
	m := New(c, model)
	m.SetSize(w, h)
	deliver(m, m.Init())
	return m, fl
}

// deliver runs cmd and hands its message to m.
func deliver(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if msg := cmd(); msg != nil {
		m.Update(msg)
	}
}

func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(uitest.Press(k))
	}
	return cmd
}

// checkSize fails unless view is h lines, none wider than w: the screen
// leaves its lines short.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	uitest.CheckFits(t, view, w, h)
	if n := strings.Count(view, "\n") + 1; n != h {
		t.Errorf("view has %d lines, want %d", n, h)
	}
}

func checkGolden(t *testing.T, name, view string, w, h int) {
	t.Helper()
	checkSize(t, view, w, h)
	uitest.Golden(t, name, view)
}

func TestGolden(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("all-%s-%dx%d", theme, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, _ := open(t, theme, "", sz[0], sz[1])
				press(m, "down", "enter") // expand the retrain whose outcome is unknown
				checkGolden(t, name, m.View(), sz[0], sz[1])
			})
		}
	}
	m, _ := open(t, "dark", "payments-fraud", 120, 40)
	press(m, "enter")
	checkGolden(t, "payments-fraud-dark-120x40", m.View(), 120, 40)
}

func TestNewestFirstOneLinePerAction(t *testing.T) {
	m, _ := open(t, "dark", "", 200, 50)
	got := uitest.Plain(m)
	order := []string{"Promote canary", "retrain", "payments-fraud", "✖ refused"}
	last := -1
	for _, w := range order {
		i := strings.Index(got, w)
		if i < 0 {
			t.Fatalf("%q missing:\n%s", w, got)
		}
		if i < last {
			t.Errorf("%q is not below the newer actions:\n%s", w, got)
		}
		last = i
	}
	if n := strings.Count(got, "4f0c1a2b"); n != 1 {
		t.Errorf("the rollback's two records take %d lines, want one", n)
	}
	for _, w := range []string{"4 actions", "1 torn line skipped", "✔ succeeded", "? unknown", "✖ failed", "✖ refused", "v8 → v7", "alias champion now points at v7"} {
		if !strings.Contains(got, w) {
			t.Errorf("%q missing:\n%s", w, got)
		}
	}
}

func TestEnterExpandsStateChanges(t *testing.T) {
	m, _ := open(t, "dark", "", 120, 40)
	press(m, "down", "down")
	if strings.Contains(uitest.Plain(m), "requested") {
		t.Fatal("state changes shown before enter")
	}
	press(m, "enter")
	got := uitest.Plain(m)
	for _, w := range []string{"◌ requested", "via mlflow-alias", "✔ succeeded", "HTTP 200", "41ms", "alias=champion version=8 → alias=champion version=7", "ana (operator) on laptop", "mltop-4f0c1a2b3c4d5e6f"} {
		if !strings.Contains(got, w) {
			t.Errorf("expanded rollback lacks %q:\n%s", w, got)
		}
	}
	press(m, "enter")
	if strings.Contains(uitest.Plain(m), "◌ requested") {
		t.Error("enter again does not fold the action")
	}
}

func TestFilterAnyField(t *testing.T) {
	cases := map[string][]string{
		"tenure":   {"churn-predictor"},           // reason
		"SHA256":   {"✖ refused"},                 // an actor's key fingerprint
		"v8 → v7":  {"payments-fraud"},            // the change as shown
		"409":      {"Promote canary"},            // an HTTP status
		"unknown":  {"churn-predictor"},           // a state
		"9a8b7c6d": {"churn-predictor"},           // a request id
		"champion": {"payments-fraud"},            // the alias in before/after
		"laptop":   {"payments-fraud", "retrain"}, // the host
	}
	for q, want := range cases {
		m, _ := open(t, "dark", "", 200, 50)
		press(m, "/")
		if !m.Capturing() {
			t.Fatal("/ does not start the filter")
		}
		for _, r := range q {
			m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		press(m, "enter")
		got := uitest.Plain(m)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("filter %q hides %q:\n%s", q, w, got)
			}
		}
		if n := len(m.rows); n != len(want) && q != "laptop" {
			t.Errorf("filter %q keeps %d actions, want %d:\n%s", q, n, len(want), got)
		}
		press(m, "/", "esc")
		if len(m.rows) != 4 {
			t.Errorf("esc in the filter left %d actions, want all 4", len(m.rows))
		}
	}
}

func TestOwnsSlash(t *testing.T) {
	m, _ := open(t, "dark", "", 80, 24)
	if !m.OwnsKey(uitest.Press("/")) || m.OwnsKey(uitest.Press("q")) {
		t.Error("the screen must claim / (its filter) and nothing else")
	}
}

func TestRefresh(t *testing.T) {
	m, fl := open(t, "dark", "payments-fraud", 120, 40)
	if fl.reads != 1 || fl.filters[0].Model != "payments-fraud" {
		t.Fatalf("opening read %d times with %+v, want once for payments-fraud", fl.reads, fl.filters)
	}
	fl.records = append(fl.records, audit.Record{Time: uitest.Now, ID: "mltop-5555666677778888", State: audit.Succeeded,
		Action: "rollback", Model: "payments-fraud", Actor: audit.Actor{User: "ana"}})
	deliver(m, press(m, "r"))
	if fl.reads != 2 || !strings.Contains(uitest.Plain(m), "55556666") {
		t.Errorf("r did not re-read the log (%d reads):\n%s", fl.reads, uitest.Plain(m))
	}
	_, cmd := m.Update(common.ActionDoneMsg{})
	deliver(m, cmd)
	if fl.reads != 3 {
		t.Errorf("an action ending did not re-read the log (%d reads)", fl.reads)
	}
	// An answer to an older read is dropped.
	old := m.refresh()
	deliver(m, m.refresh())
	fl.records = nil
	deliver(m, old)
	if !strings.Contains(uitest.Plain(m), "55556666") {
		t.Error("a stale read replaced a newer one")
	}
}

func TestReadError(t *testing.T) {
	fl := &fakeLog{err: errors.New("open /root/.local/state/mltop/audit.jsonl: permission denied")}
	c := uitest.Common("dark")
	c.Actions = fl
	m := New(c, "")
	m.SetSize(120, 24)
	deliver(m, m.Init())
	if got := uitest.Plain(m); !strings.Contains(got, "cannot read the audit log: open /root/.local/state/mltop/audit.jsonl: permission denied") {
		t.Errorf("the error is not said:\n%s", got)
	}
}

func TestEmptyAndNoExecutor(t *testing.T) {
	c := uitest.Common("dark")
	c.Actions = &fakeLog{}
	m := New(c, "")
	m.SetSize(80, 24)
	deliver(m, m.Init())
	if !strings.Contains(uitest.Plain(m), "no actions recorded yet") {
		t.Errorf("an empty log is not said:\n%s", uitest.Plain(m))
	}
	c2 := uitest.Common("dark")
	m2 := New(c2, "")
	m2.SetSize(80, 24)
	if cmd := m2.Init(); cmd != nil {
		t.Error("a read was asked without an executor")
	}
	if !strings.Contains(uitest.Plain(m2), "no action executor") {
		t.Errorf("without an executor the screen does not say so:\n%s", uitest.Plain(m2))
	}
}

func TestSizes(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {20, 5}, {40, 10}, {60, 15}, {80, 24}, {260, 70}} {
		m, _ := open(t, "dark", "", sz[0], sz[1])
		press(m, "enter", "down", "enter", "/")
		if sz[0] == 0 {
			if m.View() != "" {
				t.Error("a zero-sized screen draws something")
			}
			continue
		}
		checkSize(t, m.View(), sz[0], sz[1])
	}
}

func TestScrollKeepsSelectionVisible(t *testing.T) {
	m, _ := open(t, "dark", "", 80, 8)
	for range 3 {
		press(m, "down", "enter")
	}
	sel := m.rows[m.list.Sel].latest.ID
	if !strings.Contains(uitest.Plain(m), shortID(sel)) {
		t.Errorf("the selected action %s scrolled off screen:\n%s", sel, uitest.Plain(m))
	}
}
