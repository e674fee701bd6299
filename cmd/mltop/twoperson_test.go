package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/demo"
)

// A rollback of a model under actions.two_person is refused from the
// command line until --approved-by names another operator's approval of
// that change in the audit log; with one it is sent, naming both.
func TestRollbackNeedsASecondOperator(t *testing.T) {
	home := isolate(t)
	t.Setenv("USER", "ana")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f, err := demo.Start(ctx, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	logPath := filepath.Join(home, "audit.jsonl")
	cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\n"+
		"mlflow: {tracking_uri: "+f.RegistryURL()+"}\n"+
		"audit: {path: "+logPath+"}\n"+
		"actions: {two_person: {risk_tier: [high]}}\n")
	rollback := func(extra ...string) (int, string, string) {
		var out, errb strings.Builder
		args := append([]string{"rollback", "payments-fraud", "--reason", "incident", "--yes", "--config", cfg, "--log-file", "-"}, extra...)
		code := run(args, &out, &errb)
		return code, out.String(), errb.String()
	}

	code, out, errs := rollback()
	if code != exitActionFailed || !strings.Contains(out, "needs a second operator: run it under mltop serve, or approve it there") ||
		!strings.Contains(out, "REFUSED") {
		t.Fatalf("without approval: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if v := champion(t, f, "payments-fraud"); v != "8" {
		t.Fatalf("refused rollback moved the alias to v%s", v)
	}

	log := audit.New(logPath)
	approve := func(id, by string, version string) {
		t.Helper()
		if err := log.Append(audit.Record{Time: time.Now(), ID: id, State: audit.Approved,
			Actor: audit.Actor{User: by, Role: "operator"}, Action: "rollback", Model: "payments-fraud",
			RequestedBy: "ana", Reason: "incident", After: map[string]string{"alias": "champion", "version": version}}); err != nil {
			t.Fatal(err)
		}
	}
	approve("mltop-self", "ana", "7")
	approve("mltop-other-change", "ben", "6")
	approve("mltop-ben", "ben", "7")
	for id, want := range map[string]string{"mltop-self": "own", "mltop-other-change": "another change", "mltop-nope": "no approval mltop-nope"} {
		if code, out, _ := rollback("--approved-by", id); code != exitActionFailed || !strings.Contains(out, want) {
			t.Errorf("--approved-by %s: exit %d, want a refusal naming %q:\n%s", id, code, want, out)
		}
	}
	code, out, errs = rollback("--approved-by", "mltop-ben")
	if code != exitOK || !strings.Contains(out, "second operator: approval mltop-ben") {
		t.Fatalf("with ben's approval: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if v := champion(t, f, "payments-fraud"); v != "7" {
		t.Errorf("champion is v%s after the approved rollback, want v7", v)
	}
	rs, _, err := log.Read()
	if err != nil {
		t.Fatal(err)
	}
	last := rs[len(rs)-1]
	if last.State != audit.Succeeded || last.Actor.User != "ana" || last.ApprovedBy != "ben" || last.Approval != "mltop-ben" {
		t.Errorf("last record %+v does not name both people", last)
	}
	if code, out, _ := rollback("--to", "8", "--approved-by", "mltop-ben"); code != exitActionFailed || !strings.Contains(out, "REFUSED") {
		t.Errorf("approval reused: exit %d\n%s", code, out)
	}
}

func TestAuditLineNamesBothPeople(t *testing.T) {
	line := auditLine(audit.Record{Time: time.Now(), ID: "mltop-1", State: audit.Succeeded, Actor: audit.Actor{User: "ana", Role: "operator"},
		Action: "rollback", Model: "payments-fraud", ApprovedBy: "ben", Approval: "mltop-1"})
	if !strings.Contains(line, "ana operator, approved by ben") {
		t.Errorf("audit line %q does not name both people", line)
	}
	line = auditLine(audit.Record{Time: time.Now(), ID: "mltop-1", State: audit.Approved, Actor: audit.Actor{User: "ben", Role: "operator"},
		Action: "rollback", Model: "payments-fraud", RequestedBy: "ana"})
	if !strings.Contains(line, "ben operator, asked by ana") {
		t.Errorf("approval line %q does not name the requester", line)
	}
}
