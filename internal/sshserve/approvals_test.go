package sshserve

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
)

// Under serve, olga's rollback of a model that needs two people is held,
// not sent; every session sees it; olga and the viewer cannot approve;
// otto's approval sends it once, as olga's, naming otto.
func TestTwoSessionsApproveARollback(t *testing.T) {
	e := newEnv(t, envOptions{twoPerson: true})
	for _, p := range []person{e.operator, e.viewer, e.stranger} {
		e.open(p, termOptions{}).out.waitFor(t, modelA)
	}
	olga, vera, otto := e.sessionOf("olga"), e.sessionOf("vera"), e.sessionOf("otto")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	req := actions.Request{ID: actions.NewID(), Action: actions.Rollback, Model: modelA, To: "2", Reason: "bad release", Confirm: modelA}
	plan, err := olga.Plan(ctx, req)
	if err != nil || !plan.TwoPerson {
		t.Fatalf("plan %+v, err %v: want one that needs two people", plan, err)
	}
	res := olga.Execute(ctx, req)
	if res.Outcome != actions.Awaiting || e.webhooks.Load() != 0 {
		t.Fatalf("olga's rollback: %+v, %d webhooks; want it held, nothing sent", res, e.webhooks.Load())
	}
	for _, s := range []*Session{olga, vera, otto} {
		if w := s.Waiting(); len(w) != 1 || w[0].Request.ID != req.ID || w[0].Request.Actor.User != "olga" || w[0].Request.Reason != "bad release" {
			t.Fatalf("%s sees %+v waiting", s.Identity().User, w)
		}
	}
	if r := olga.Approve(ctx, req.ID); r.Outcome != actions.Refused || !strings.Contains(r.Message, "second operator") {
		t.Errorf("olga approved her own: %+v", r)
	}
	if r := vera.Approve(ctx, req.ID); r.Outcome != actions.Refused || !strings.Contains(r.Message, "operator role") {
		t.Errorf("the viewer approved: %+v", r)
	}
	if r := otto.Approve(ctx, req.ID); r.Outcome != actions.Succeeded {
		t.Fatalf("otto's approval: %+v", r)
	}
	if r := otto.Approve(ctx, req.ID); r.Outcome != actions.Refused {
		t.Errorf("approved twice: %+v", r)
	}
	if n := e.webhooks.Load(); n != 1 {
		t.Errorf("the rollback webhook was called %d times, want 1", n)
	}
	var states []audit.State
	for _, r := range e.records(t) {
		states = append(states, r.State)
		if (r.State == audit.Requested || r.State == audit.Succeeded) && (r.Actor.User != "olga" || r.ApprovedBy != "otto") {
			t.Errorf("%s record %+v does not name olga and otto", r.State, r)
		}
		if r.State == audit.Approved && (r.Actor.User != "otto" || r.Actor.KeyFingerprint != e.stranger.fp || r.RequestedBy != "olga") {
			t.Errorf("approved record %+v", r)
		}
	}
	if want := []audit.State{audit.AwaitingApproval, audit.Approved, audit.Requested, audit.Succeeded}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v", states, want)
	}
	if ns, _ := olga.Notices(0); len(ns) != 1 || ns[0].By != "otto" || ns[0].Result.Outcome != actions.Succeeded {
		t.Errorf("olga's notices %+v", ns)
	}
	if ns, _ := otto.Notices(0); len(ns) != 0 {
		t.Errorf("otto was told of olga's request: %+v", ns)
	}
}

// The same over the keys: olga's R on a model that needs two people is
// held; otto's status line says so, and his :approvals then a sends it.
func TestSecondOperatorApprovesFromTheirScreen(t *testing.T) {
	armed := make(chan struct{}, 1)
	e := newEnv(t, envOptions{twoPerson: true, tweak: func(o *Options) {
		o.NewModel = func(s *Session) tea.Model { return armProbe{Model: s.Dashboard(), armed: armed} }
	}})
	olga := e.open(e.operator, termOptions{})
	olga.out.waitFor(t, modelA)
	otto := e.open(e.stranger, termOptions{})
	otto.out.waitFor(t, "otto · operator")

	olga.confirm(armed, "R", "rollback", "bad release")
	recs := e.awaitRecords(t, 1)
	if recs[0].State != audit.AwaitingApproval || e.webhooks.Load() != 0 {
		t.Fatalf("records %+v, %d webhooks: want the rollback held", recs, e.webhooks.Load())
	}
	otto.out.waitFor(t, "1 approval waiting — :approvals")
	otto.keys(":approvals\r")
	otto.out.waitFor(t, "asked by olga")
	otto.keys("a")
	recs = e.awaitRecords(t, 4)
	if recs[3].State != audit.Succeeded || recs[3].ApprovedBy != "otto" || recs[3].Actor.User != "olga" {
		t.Errorf("last record %+v", recs[3])
	}
	olga.out.waitFor(t, "approved by otto")
	if n := e.webhooks.Load(); n != 1 {
		t.Errorf("webhook called %d times, want 1", n)
	}
}
