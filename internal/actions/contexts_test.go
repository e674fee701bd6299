package actions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// inContext builds an executor of context name over a shared log file.
func inContext(t *testing.T, name string, log *audit.Log, acts config.Actions, reg Registry, readOnly bool) *Executor {
	t.Helper()
	ex, err := New(Options{Actions: acts, Registry: reg, Audit: log, Host: "test-host", Context: name, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestPlanAndRecordsSayTheirContext(t *testing.T) {
	rc := newReceiver(t, nil)
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	ex := inContext(t, "staging", log, webhookRetrain(rc.URL), nil, false)
	actor := Actor{User: "ana", Role: config.RoleOperator}
	req := Request{Action: Retrain, Model: "churn-predictor", Reason: "drift", Actor: actor}
	p, err := ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Context != "staging" || p.Refusal != "" {
		t.Fatalf("plan context %q refusal %q, want staging and none", p.Context, p.Refusal)
	}
	req.ID, req.Context = p.ID, p.Context
	if r := ex.Execute(ctx(t), req); r.Outcome != Succeeded {
		t.Fatalf("execute: %+v", r)
	}
	all, _, err := audit.Read(log.Path())
	if err != nil || len(all) != 2 {
		t.Fatalf("records %v, %v; want requested and succeeded", all, err)
	}
	for _, r := range all {
		if r.Context != "staging" {
			t.Errorf("record %s %s has context %q, want staging", r.ID, r.State, r.Context)
		}
	}
}

// Two contexts share one audit log: a plan made in one is refused by the
// other's executor, whether the request says its context or only carries
// the plan's id, and nothing is sent.
func TestPlanOfOneContextIsRefusedByAnother(t *testing.T) {
	rc := newReceiver(t, nil)
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	eu := inContext(t, "prod-eu", log, webhookRetrain(rc.URL), nil, false)
	us := inContext(t, "prod-us", log, webhookRetrain(rc.URL), nil, false)
	actor := Actor{User: "ana", Role: config.RoleOperator}
	for _, sayContext := range []bool{true, false} {
		req := Request{Action: Retrain, Model: "churn-predictor", Reason: "drift", Actor: actor}
		p, err := eu.Plan(ctx(t), req)
		if err != nil {
			t.Fatal(err)
		}
		req.ID = p.ID
		if sayContext {
			req.Context = p.Context
		}
		// Planned again through the other context (a dialog's re-plan):
		// refused when it says its context, else planned afresh, under an
		// id of prod-us's own.
		switch p2, err := us.Plan(ctx(t), req); {
		case err != nil:
			t.Errorf("re-plan in prod-us (context said: %v): %v", sayContext, err)
		case sayContext && !strings.Contains(p2.Refusal, "made in context prod-eu, not prod-us"):
			t.Errorf("re-plan in prod-us naming prod-eu: refusal %q", p2.Refusal)
		case !sayContext && p2.ID == p.ID:
			t.Errorf("re-plan in prod-us without a context took prod-eu's plan id as its own")
		}
		r := us.Execute(ctx(t), req)
		if r.Outcome != Refused || !strings.Contains(r.Message, "actions never cross contexts") {
			t.Errorf("prod-us executing prod-eu's plan (context said: %v): %s %q", sayContext, r.Outcome, r.Message)
		}
		if r.ID == p.ID {
			t.Errorf("the refusal was recorded under prod-eu's plan id")
		}
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("receiver saw %d requests, want none", n)
	}
}

// An executor of a context sends only the ids it planned: another
// context's plan id, without a context, stays refused however many plans
// were made since; its own newest plans stay executable.
func TestContextSendsOnlyItsOwnPlans(t *testing.T) {
	rc := newReceiver(t, nil)
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	eu := inContext(t, "prod-eu", log, webhookRetrain(rc.URL), nil, false)
	us := inContext(t, "prod-us", log, webhookRetrain(rc.URL), nil, false)
	actor := Actor{User: "ana", Role: config.RoleOperator}
	req := Request{Action: Retrain, Model: "churn-predictor", Reason: "drift", Actor: actor}
	p, err := eu.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	var last Plan
	for range maxPlans {
		if last, err = eu.Plan(ctx(t), Request{Action: Retrain, Model: "other", Reason: "x", Actor: actor}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{p.ID, "mltop-0123456789abcdef"} {
		req.ID = id
		if r := us.Execute(ctx(t), req); r.Outcome != Refused || !strings.Contains(r.Message, "was not planned in context prod-us") {
			t.Errorf("prod-us sending %s: %s %q", id, r.Outcome, r.Message)
		}
	}
	// prod-eu forgot its oldest plan, not the others.
	if r := eu.Execute(ctx(t), req); r.Outcome != Refused {
		t.Errorf("prod-eu sending its forgotten plan: %s %q", r.Outcome, r.Message)
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("receiver saw %d requests, want none", n)
	}
	if r := eu.Execute(ctx(t), Request{ID: last.ID, Action: Retrain, Model: "other", Reason: "x", Actor: actor}); r.Outcome != Succeeded {
		t.Errorf("prod-eu sending its newest plan: %s %q", r.Outcome, r.Message)
	}
}

// A read-only context refuses, naming itself; another context on the same
// log acts.
func TestReadOnlyContextRefuses(t *testing.T) {
	rc := newReceiver(t, nil)
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	prod := inContext(t, "prod-eu", log, webhookRetrain(rc.URL), nil, true)
	actor := Actor{User: "ana", Role: config.RoleOperator}
	req := Request{Action: Retrain, Model: "churn-predictor", Reason: "drift", Actor: actor}
	p, err := prod.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Refusal != "context prod-eu is read-only: actions are disabled in it" {
		t.Errorf("plan refusal = %q", p.Refusal)
	}
	if r := prod.Execute(ctx(t), req); r.Outcome != Refused || !strings.Contains(r.Message, "prod-eu is read-only") {
		t.Errorf("execute: %s %q", r.Outcome, r.Message)
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("receiver saw %d requests, want none", n)
	}
}

// A rollback's default from the audit log reads only its own context's
// records: another context's promotion, and records from before contexts,
// say nothing about this context's model of the same name.
func TestRollbackDefaultReadsOnlyItsContextsRecords(t *testing.T) {
	reg := newRegistry(t)
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	ver := func(v string) map[string]string { return map[string]string{"alias": "champion", "version": v} }
	for _, r := range []audit.Record{
		{ID: "a", State: audit.Succeeded, Action: "promote", Model: "payments-fraud", Before: ver("5"), After: ver("8"), Context: "prod-us"},
		{ID: "b", State: audit.Succeeded, Action: "promote", Model: "payments-fraud", Before: ver("6"), After: ver("8")},
		{ID: "c", State: audit.Succeeded, Action: "promote", Model: "payments-fraud", Before: ver("7"), After: ver("8"), Context: "prod-eu"},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	acts := config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}
	actor := Actor{User: "ana", Role: config.RoleOperator}
	for name, want := range map[string]string{"prod-us": "5", "prod-eu": "7"} {
		ex := inContext(t, name, log, acts, reg.client, false)
		p, err := ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Actor: actor})
		if err != nil {
			t.Fatal(err)
		}
		if p.To != want || p.DefaultFrom != "audit log" {
			t.Errorf("%s: default %q from %q, want %s from the audit log", name, p.To, p.DefaultFrom, want)
		}
		rs, _, err := ex.AuditRecords(audit.Filter{})
		if err != nil || len(rs) != 1 || rs[0].Context != name {
			t.Errorf("%s: audit records %+v, %v; want its one record", name, rs, err)
		}
	}
}

// Two contexts' executors on one audit file, as the dashboard runs them in
// one process, append at once: every record is whole and none is lost.
func TestContextsAppendToOneLogAtOnce(t *testing.T) {
	rc := newReceiver(t, nil)
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	eu := inContext(t, "prod-eu", audit.New(path), webhookRetrain(rc.URL), nil, false)
	us := inContext(t, "prod-us", audit.New(filepath.Join(dir, ".", "audit.jsonl")), webhookRetrain(rc.URL), nil, false)
	const each = 25
	var wg sync.WaitGroup
	for i := range each {
		for _, ex := range []*Executor{eu, us} {
			wg.Go(func() {
				req := Request{Action: Retrain, Model: fmt.Sprintf("model-%d", i), Reason: "drift",
					Actor: Actor{User: "ana", Role: config.RoleOperator}}
				if r := ex.Execute(ctx(t), req); r.Outcome != Succeeded {
					t.Errorf("%s: %s %q", ex.Context(), r.Outcome, r.Message)
				}
			})
		}
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	per := map[string]int{}
	for _, l := range lines {
		var r audit.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q is not a whole record: %v", l, err)
		}
		per[r.Context]++
	}
	// Each request writes requested, then succeeded.
	if per["prod-eu"] != 2*each || per["prod-us"] != 2*each || len(lines) != 4*each {
		t.Errorf("records per context %v in %d lines, want %d each", per, len(lines), 2*each)
	}
}
