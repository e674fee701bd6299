package sshserve

import (
	"context"
	"slices"
	"strings"
	"testing"

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
