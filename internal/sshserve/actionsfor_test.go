package sshserve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/ui/common"
)

// contextExecutor is another context's executor: its own audit log and
// rollback webhook, two people for every rollback (the fixture's models
// have no tags).
type contextExecutor struct {
	ex    *actions.Executor
	audit *audit.Log
	hooks atomic.Int64
}

func newContextExecutor(t *testing.T, name string) *contextExecutor {
	t.Helper()
	c := &contextExecutor{audit: audit.New(filepath.Join(t.TempDir(), name+"-audit.jsonl"))}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		c.hooks.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(hook.Close)
	ex, err := actions.New(actions.Options{
		Actions: config.Actions{
			Rollback:  config.Action{Kind: "webhook", URL: hook.URL + "/rollback", Timeout: 5 * time.Second},
			TwoPerson: map[string][]string{"risk_tier": {"high"}},
		},
		Audit: c.audit, Host: "test-host", Context: name,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.ex = ex
	return c
}

func (c *contextExecutor) records(t *testing.T) []audit.Record {
	t.Helper()
	recs, _, err := c.ex.AuditRecords(audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// A session acts in another context through that context's executor: a
// rollback that needs two people waits in that context's store, which
// every session shares; a second operator's approval there has that
// executor send it. Nothing crosses: another context neither lists nor
// approves it, and a plan made in one context is refused in another.
func TestSessionActsInAnotherContext(t *testing.T) {
	e := newEnv(t, envOptions{twoPerson: true})
	for _, p := range []person{e.operator, e.viewer, e.stranger} {
		e.open(p, termOptions{}).out.waitFor(t, modelA)
	}
	staging, qa := newContextExecutor(t, "staging"), newContextExecutor(t, "qa")
	olga := e.sessionOf("olga").ActionsFor(staging.ex)
	otto := e.sessionOf("otto").ActionsFor(staging.ex)
	vera := e.sessionOf("vera").ActionsFor(staging.ex)
	ottoQA := e.sessionOf("otto").ActionsFor(qa.ex)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	// The viewer is refused there, and recorded as herself.
	req := actions.Request{Action: actions.Rollback, Model: modelA, To: "2", Reason: "bad release", Confirm: modelA,
		Actor: actions.Actor{User: "mallory", Role: config.RoleOperator}}
	plan, err := vera.Plan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	req.ID, req.Context = plan.ID, plan.Context
	if r := vera.Execute(ctx, req); r.Outcome != actions.Refused || !strings.Contains(r.Message, "operator") {
		t.Errorf("the viewer's rollback in staging: %+v", r)
	}

	plan, err = olga.Plan(ctx, req)
	if err != nil || !plan.TwoPerson || plan.Context != "staging" {
		t.Fatalf("olga's plan %+v, err %v: want staging's, needing two people", plan, err)
	}
	req.ID, req.Context = plan.ID, plan.Context

	// Sent through another context's actions, staging's plan is refused.
	if r := ottoQA.Execute(ctx, req); r.Outcome != actions.Refused || !strings.Contains(r.Message, "never cross contexts") {
		t.Errorf("staging's plan executed in qa: %+v", r)
	}
	noContext := req
	noContext.Context = ""
	if r := ottoQA.Execute(ctx, noContext); r.Outcome != actions.Refused || !strings.Contains(r.Message, "not planned in context qa") {
		t.Errorf("staging's plan id executed in qa: %+v", r)
	}
	if len(ottoQA.(common.Approver).Waiting()) != 0 {
		t.Fatal("qa holds staging's plan")
	}

	if r := olga.Execute(ctx, req); r.Outcome != actions.Awaiting || staging.hooks.Load() != 0 {
		t.Fatalf("olga's rollback in staging: %+v, %d webhooks; want it held", r, staging.hooks.Load())
	}
	for _, a := range []common.Actions{olga, otto, vera} {
		if w := a.(common.Approver).Waiting(); len(w) != 1 || w[0].Request.ID != req.ID {
			t.Fatalf("staging's waiting list %+v, want olga's rollback", w)
		}
	}
	for name, a := range map[string]common.Approver{"the server's context": e.sessionOf("otto"), "qa": ottoQA.(common.Approver)} {
		if len(a.Waiting()) != 0 {
			t.Errorf("%s lists staging's request", name)
		}
		if r := a.Approve(ctx, req.ID); r.Outcome != actions.Refused {
			t.Errorf("%s approved staging's request: %+v", name, r)
		}
	}
	if r := olga.(common.Approver).Approve(ctx, req.ID); r.Outcome != actions.Refused || !strings.Contains(r.Message, "second operator") {
		t.Errorf("olga approved her own: %+v", r)
	}
	if r := otto.(common.Approver).Approve(ctx, req.ID); r.Outcome != actions.Succeeded {
		t.Fatalf("otto's approval in staging: %+v", r)
	}
	if staging.hooks.Load() != 1 || qa.hooks.Load() != 0 || e.webhooks.Load() != 0 {
		t.Errorf("webhooks: staging %d, qa %d, server %d; want staging's once", staging.hooks.Load(), qa.hooks.Load(), e.webhooks.Load())
	}
	if ns, _ := olga.(common.Approver).Notices(0); len(ns) != 1 || ns[0].By != "otto" {
		t.Errorf("olga's notices in staging %+v", ns)
	}

	var done *audit.Record
	for _, r := range staging.records(t) {
		if r.Context != "staging" {
			t.Errorf("staging's record names context %q: %+v", r.Context, r)
		}
		if r.State == audit.Succeeded {
			done = &r
		}
	}
	if done == nil || done.Actor.User != "olga" || done.Actor.KeyFingerprint != e.operator.fp || done.ApprovedBy != "otto" {
		t.Errorf("staging's succeeded record %+v, want olga's with her key, approved by otto", done)
	}
	for _, r := range qa.records(t) {
		if r.State != audit.Refused || r.Actor.User != "otto" {
			t.Errorf("qa recorded %+v, want only otto's refusals", r)
		}
	}
	if recs := e.records(t); len(recs) != 0 {
		t.Errorf("the server's audit log holds %d records of other contexts", len(recs))
	}
}
