package auditreport

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
)

// An action requested before the period and approved in it is credited
// to who asked, from when they asked; its records after the period do
// not say how it ended within it; an action wholly outside is left out.
func TestActionsSpanningThePeriodEdge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log := audit.New(path)
	ana := audit.Actor{User: "ana", Host: "bastion", Role: "operator"}
	bo := audit.Actor{User: "bo", Host: "laptop", Role: "approver"}
	for _, r := range []audit.Record{
		{Time: min(-30), ID: "early", State: audit.Requested, Action: "rollback", Model: "churn", Actor: ana, Reason: "errors after v7"},
		{Time: min(10), ID: "early", State: audit.Approved, Action: "rollback", Model: "churn", Actor: bo, ApprovedBy: "bo"},
		{Time: min(-20), ID: "outside", State: audit.Succeeded, Action: "retrain", Model: "churn", Actor: ana},
		{Time: min(50), ID: "late", State: audit.Requested, Action: "promote", Model: "churn", Actor: ana},
		{Time: min(70), ID: "late", State: audit.Succeeded, Action: "promote", Model: "churn", Actor: ana},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	r := Build(context.Background(), Inputs{AuditPath: path}, Options{From: t0, To: min(60)}, min(60))
	if len(r.Models) != 1 {
		t.Fatalf("models %+v", r.Models)
	}
	acts := r.Models[0].Actions
	if len(acts) != 2 {
		t.Fatalf("actions %+v, want early and late", acts)
	}
	e := acts[0]
	if e.ID != "early" || e.User != "ana" || !e.Requested.Equal(min(-30)) || e.Reason != "errors after v7" ||
		e.State != string(audit.Approved) || e.ApprovedBy != "bo" || !e.Time.Equal(min(10)) {
		t.Errorf("action requested before the period: %+v, want ana's from -30m, approved by bo", e)
	}
	if l := acts[1]; l.ID != "late" || l.State != string(audit.Requested) || !l.Time.Equal(min(50)) {
		t.Errorf("action still pending at the period's end: %+v, want requested at 50m", l)
	}
}

// Contexts sharing one audit log: a report of one context lists its
// actions only; records from before contexts belong to none.
func TestActionsOfOneContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log := audit.New(path)
	ana := audit.Actor{User: "ana", Role: "operator"}
	for _, r := range []audit.Record{
		{Time: min(5), ID: "eu", State: audit.Succeeded, Action: "rollback", Model: "churn", Actor: ana, Context: "prod-eu"},
		{Time: min(6), ID: "us", State: audit.Succeeded, Action: "rollback", Model: "churn", Actor: ana, Context: "prod-us"},
		{Time: min(7), ID: "none", State: audit.Succeeded, Action: "retrain", Model: "churn", Actor: ana},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	for ctx, want := range map[string]string{"prod-eu": "eu", "prod-us": "us"} {
		r := Build(context.Background(), Inputs{AuditPath: path, AuditContext: ctx}, Options{From: t0, To: min(60)}, min(60))
		if len(r.Models) != 1 || len(r.Models[0].Actions) != 1 || r.Models[0].Actions[0].ID != want {
			t.Errorf("%s: models %+v, want only action %s", ctx, r.Models, want)
		}
		// The report says which context it covers.
		var md, js strings.Builder
		if err := WriteMarkdown(&md, r); err != nil || !strings.Contains(md.String(), "\nContext "+ctx+": its sources, and its records of the audit log.\n") {
			t.Errorf("%s: markdown (%v) does not say its context:\n%s", ctx, err, md.String())
		}
		var doc struct{ Context string }
		if err := WriteJSON(&js, r); err != nil || json.Unmarshal([]byte(js.String()), &doc) != nil || doc.Context != ctx {
			t.Errorf("%s: JSON (%v) does not say its context: %s", ctx, err, js.String())
		}
	}
	r := Build(context.Background(), Inputs{AuditPath: path}, Options{From: t0, To: min(60)}, min(60))
	if len(r.Models) != 1 || len(r.Models[0].Actions) != 3 {
		t.Errorf("without a context: %+v, want all three actions", r.Models)
	}
}
