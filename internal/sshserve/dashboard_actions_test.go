package sshserve

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/ui/dialog"
)

// armProbe wraps a session's dashboard and says when an action dialog
// starts taking keys: until then it ignores them, by design.
type armProbe struct {
	tea.Model
	armed chan<- struct{}
}

func (p armProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.Model.Update(msg)
	p.Model = m
	if _, ok := msg.(dialog.ArmedMsg); ok {
		p.armed <- struct{}{}
	}
	return p, cmd
}

func TestOperatorRollsBackFromTheDashboard(t *testing.T) {
	armed := make(chan struct{}, 1)
	e := newEnv(t, envOptions{tweak: func(o *Options) {
		o.NewModel = func(s *Session) tea.Model { return armProbe{Model: s.Dashboard(), armed: armed} }
	}})
	tm := e.open(e.operator, termOptions{})
	tm.out.waitFor(t, modelA)
	tm.out.waitFor(t, "olga · operator")

	// R rolls back the model under the cursor: plan, then the dialog.
	tm.confirm(armed, "R", "rollback", "bad release")

	recs := e.awaitRecords(t, 2)
	var states []audit.State
	for _, r := range recs {
		states = append(states, r.State)
		if r.Actor.User != "olga" || r.Actor.Role != config.RoleOperator || r.Actor.KeyFingerprint != e.operator.fp {
			t.Errorf("recorded actor %+v, want olga, operator, %s", r.Actor, e.operator.fp)
		}
		if r.Action != "rollback" || (r.Model != modelA && r.Model != modelB) || r.Reason != "bad release" {
			t.Errorf("record %+v, want a rollback of a fixture model for the reason typed", r)
		}
	}
	if !slices.Equal(states, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("recorded states %v, want requested then succeeded", states)
	}
	if r := recs[len(recs)-1]; r.Before["version"] != "3" || r.After["version"] != "2" {
		t.Errorf("rolled back %v → %v, want v3 → v2", r.Before, r.After)
	}
	if n := e.webhooks.Load(); n != 1 {
		t.Errorf("the rollback webhook was called %d times, want 1", n)
	}
}

func TestViewerRollbackKeyIsRefusedOnScreen(t *testing.T) {
	e := newEnv(t, envOptions{})
	tm := e.open(e.viewer, termOptions{})
	tm.out.waitFor(t, modelA)
	tm.keys("R")
	tm.out.waitFor(t, "roll back needs the operator role; you have viewer")
	if recs := e.records(t); len(recs) != 0 || e.webhooks.Load() != 0 {
		t.Errorf("a viewer's key press reached the executor: %+v", recs)
	}
}

// confirm presses key, waits for the action's dialog and confirms it with
// reason: the caret starts in the reason; tab to Cancel, tab to Confirm, enter.
func (tm *terminal) confirm(armed <-chan struct{}, key, action, reason string) {
	tm.t.Helper()
	tm.keys(key)
	select {
	case <-armed:
	case <-time.After(wait):
		tm.t.Fatalf("no %s dialog; output:\n%s", action, tail(tm.out.text(), 2000))
	}
	tm.keys(reason, "\t", "\t", "\r")
}

// keys types each string as one write.
func (tm *terminal) keys(ks ...string) {
	tm.t.Helper()
	for _, k := range ks {
		if _, err := tm.stdin.Write([]byte(k)); err != nil {
			tm.t.Fatal(err)
		}
	}
}

// awaitRecords polls the audit log until it holds n records.
func (e *env) awaitRecords(t *testing.T, n int) []audit.Record {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		recs := e.records(t)
		if len(recs) >= n {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audit log has %d records, want %d: %+v", len(recs), n, recs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
