package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
)

// Without --context, mltop audit lists every context's log, each file once,
// merged by time; with it, that context's records of its own log.
func TestAuditReadsEveryContextsLog(t *testing.T) {
	dir := t.TempDir()
	shared, lab := filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "lab-audit.jsonl")
	cfg := writeConfig(t, "audit:\n  path: "+shared+"\ncontexts:\n  prod-eu: {}\n  lab:\n    audit:\n      path: "+lab+
		"\n  prod-us:\n    audit:\n      path: "+filepath.Join(dir, ".", "sub", "..", "audit.jsonl")+"\n")
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, r := range []struct {
		path, id, context string
		min               int
	}{{lab, "l1", "lab", 1}, {shared, "e2", "prod-eu", 2}, {lab, "l3", "lab", 3}, {shared, "u4", "prod-us", 4}} {
		rec := audit.Record{ID: r.id, State: audit.Succeeded, Action: "retrain", Model: "m", Time: at.Add(time.Duration(r.min) * time.Minute)}
		if err := audit.New(r.path).ForContext(r.context).Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(args ...string) string {
		t.Helper()
		var out, errb strings.Builder
		if code := run(append([]string{"audit", "--log-file", "-", "--config", cfg, "--format", "json"}, args...), &out, &errb); code != exitOK {
			t.Fatalf("audit %v: exit %d\n%s", args, code, errb.String())
		}
		var got []string
		dec := json.NewDecoder(strings.NewReader(out.String()))
		for dec.More() {
			var r audit.Record
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			got = append(got, r.ID+":"+r.Context)
		}
		return strings.Join(got, " ")
	}
	if got, want := ids(), "l1:lab e2:prod-eu l3:lab u4:prod-us"; got != want {
		t.Errorf("every context: %q, want %q", got, want)
	}
	if got, want := ids("--context", "lab"), "l1:lab l3:lab"; got != want {
		t.Errorf("--context lab: %q, want %q", got, want)
	}
	if got, want := ids("--context", "prod-us"), "u4:prod-us"; got != want {
		t.Errorf("--context prod-us: %q, want %q", got, want)
	}
}

// mltop demo --config FILE judges with the file's current context, as
// every other command does.
func TestDemoJudgesWithTheCurrentContext(t *testing.T) {
	path := writeConfig(t, "thresholds:\n  error_rate: 0.05\ncurrent_context: lab\ncontexts:\n  prod: {}\n  lab:\n    thresholds:\n      error_rate: 0.2\n")
	cfg, err := demoJudgement(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ContextName != "lab" || cfg.Thresholds.ErrorRate != 0.2 {
		t.Errorf("demo judgement from context %q with error_rate %v, want lab's 0.2", cfg.ContextName, cfg.Thresholds.ErrorRate)
	}
}

// A context sending the top level's token to another host is said on
// stderr when it is used, and only then.
func TestContextKeepingSecretsForAnotherHostWarns(t *testing.T) {
	cfg := writeConfig(t, "prometheus:\n  url: http://prom-a:9090\n  bearer_token_file: /run/tok\ncontexts:\n  a: {}\n  lab:\n    prometheus:\n      url: http://prom-lab:9090\n")
	for ctx, want := range map[string]bool{"lab": true, "a": false} {
		var out, errb strings.Builder
		if code := run([]string{"rules", "--log-file", "-", "--config", cfg, "--context", ctx}, &out, &errb); code != exitOK {
			t.Fatalf("rules --context %s: exit %d\n%s", ctx, code, errb.String())
		}
		got := strings.Contains(errb.String(), "mltop: warning: "+cfg+":8: contexts.lab.prometheus.url: host prom-lab is not the top level's (prom-a), yet the context keeps the top level's prometheus.bearer_token_file (line 3)")
		if got != want {
			t.Errorf("--context %s: warned %v, want %v; stderr:\n%s", ctx, got, want, errb.String())
		}
	}
}
