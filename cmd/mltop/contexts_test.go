package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/testenv"
)

// contextsDoc is what the contexts tests read of snapshot JSON.
type contextsDoc struct {
	Context *string `json:"context"`
	Models  []struct {
		Name string `json:"name"`
	} `json:"models"`
}

// startFleetPrometheus is a real Prometheus scraping one exporter that
// serves model's version 1, waited on until a 10s window holds its rates.
func startFleetPrometheus(t *testing.T, modelName string) *testenv.Prometheus {
	t.Helper()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: modelName, Version: "1", Track: "stable", RPS: 5, ErrorsPerSec: 0.1, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.5, 1}},
	}, nil)
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	prom.WaitFor(fmt.Sprintf("count_over_time(model_predictions_total{model=%q}[10s])", modelName), 60*time.Second, func(v model.Vector) bool {
		return len(v) > 0 && v[0].Value >= 9
	})
	return prom
}

func snapshotModels(t *testing.T, args ...string) contextsDoc {
	t.Helper()
	var out, errb strings.Builder
	if code := run(append([]string{"snapshot", "--format", "json", "--log-file", "-"}, args...), &out, &errb); code != exitOK {
		t.Fatalf("snapshot %v exit %d: %s", args, code, errb.String())
	}
	var doc contextsDoc
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatalf("snapshot JSON: %v\n%s", err, out.String())
	}
	return doc
}

func (d contextsDoc) names() string {
	var ns []string
	for _, m := range d.Models {
		ns = append(ns, m.Name)
	}
	return strings.Join(ns, ",")
}

// Two contexts, each with its own real Prometheus: --context picks which
// one every command reads, current_context is the default, the snapshot
// says its context, and --prometheus still lays over the context chosen.
func TestContextFlagPicksThePrometheus(t *testing.T) {
	t.Parallel()
	eu, us := startFleetPrometheus(t, "fraud-eu"), startFleetPrometheus(t, "fraud-us")
	cfg := writeConfig(t, fmt.Sprintf(`window: 10s
current_context: prod-us
contexts:
  prod-eu:
    prometheus: {url: %s}
    thresholds: {error_rate: 0.01}
  prod-us:
    prometheus: {url: %s}
`, eu.URL, us.URL))

	doc := snapshotModels(t, "--config", cfg, "--context", "prod-eu")
	if doc.names() != "fraud-eu" || doc.Context == nil || *doc.Context != "prod-eu" {
		t.Errorf("--context prod-eu: models %q, context %v; want fraud-eu in prod-eu", doc.names(), doc.Context)
	}
	doc = snapshotModels(t, "--config", cfg)
	if doc.names() != "fraud-us" || doc.Context == nil || *doc.Context != "prod-us" {
		t.Errorf("current_context: models %q, context %v; want fraud-us in prod-us", doc.names(), doc.Context)
	}
	doc = snapshotModels(t, "--config", cfg, "--context", "prod-us", "--prometheus", eu.URL)
	if doc.names() != "fraud-eu" || doc.Context == nil || *doc.Context != "prod-us" {
		t.Errorf("--prometheus over prod-us: models %q, context %v", doc.names(), doc.Context)
	}
	// check works on the chosen context, with its thresholds: fraud-eu's
	// 2 % errors breach prod-eu's 1 %; prod-us keeps the default 5 %.
	var out, errb strings.Builder
	code := run([]string{"check", "--log-file", "-", "--config", cfg, "--context", "prod-eu"}, &out, &errb)
	if code != exitBreach || !strings.Contains(out.String(), "fraud-eu") {
		t.Errorf("check --context prod-eu: exit %d, want %d naming fraud-eu\n%s%s", code, exitBreach, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"check", "--log-file", "-", "--config", cfg}, &out, &errb); code != exitOK {
		t.Errorf("check in prod-us: exit %d, want %d\n%s%s", code, exitOK, out.String(), errb.String())
	}
}

func TestSnapshotWithoutContextsSaysNull(t *testing.T) {
	t.Parallel()
	prom := startFleetPrometheus(t, "iris")
	doc := snapshotModels(t, "--config", writeConfig(t, "window: 10s\n"), "--prometheus", prom.URL)
	if doc.names() != "iris" || doc.Context != nil {
		t.Errorf("models %q, context %v; want iris and a null context", doc.names(), doc.Context)
	}
}

func TestUnknownContextIsABadConfig(t *testing.T) {
	withContexts := writeConfig(t, "contexts:\n  prod-eu: {}\n  staging: {}\n")
	plain := writeConfig(t, "refresh: 10s\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown name", []string{"--config", withContexts, "--context", "prod"},
			`mltop: --context: unknown context "prod" in ` + withContexts + ` (known: prod-eu, staging)`},
		{"a file without contexts", []string{"--config", plain, "--context", "prod"},
			`mltop: --context: no contexts in ` + plain + `: context "prod" is not defined`},
		{"no file", []string{"--prometheus", "http://127.0.0.1:1", "--context", "prod"},
			`mltop: --context prod: no config file found; contexts are defined in one`},
		{"the demo", []string{"--demo", "--context", "prod"},
			`mltop: --context prod: the demo fleet has no contexts`},
	}
	t.Setenv("MLTOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, tc := range tests {
		for _, cmd := range []string{"snapshot", "check", "rules"} {
			if cmd == "rules" && tc.args[0] == "--demo" {
				continue // rules has no demo
			}
			var out, errb strings.Builder
			code := run(append([]string{cmd, "--log-file", "-"}, tc.args...), &out, &errb)
			if code != exitFailure || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("%s: %s: exit %d, stderr %q; want exit %d with %q", tc.name, cmd, code, errb.String(), exitFailure, tc.want)
			}
		}
	}
}

func TestHelpNamesTheContextFlag(t *testing.T) {
	if help := globalFlagsHelp(); !strings.Contains(help, "--context NAME") {
		t.Errorf("global flags help lacks --context NAME:\n%s", help)
	}
}

// Two contexts over one registry and one audit log: the read-only one
// refuses, naming itself; the other acts; every plan and record says its
// context, and mltop audit --context lists one context's records.
func TestActionsInAContext(t *testing.T) {
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
		"contexts:\n  prod-eu:\n    read_only: true\n  staging: {}\n")
	rollback := func(name string) (int, string) {
		var out, errb strings.Builder
		code := run([]string{"rollback", "payments-fraud", "--reason", "incident", "--yes", "--config", cfg, "--log-file", "-", "--context", name}, &out, &errb)
		return code, out.String() + errb.String()
	}

	code, out := rollback("prod-eu")
	if code != exitActionFailed || !strings.Contains(out, "context prod-eu: Roll back payments-fraud") ||
		!strings.Contains(out, "REFUSED: context prod-eu is read-only: actions are disabled in it") {
		t.Errorf("in read-only prod-eu: exit %d\n%s", code, out)
	}
	if v := champion(t, f, "payments-fraud"); v != "8" {
		t.Fatalf("the refused rollback moved the alias to v%s", v)
	}
	code, out = rollback("staging")
	if code != exitOK || !strings.Contains(out, "context staging: Roll back payments-fraud") {
		t.Errorf("in staging: exit %d\n%s", code, out)
	}
	if v := champion(t, f, "payments-fraud"); v != "7" {
		t.Errorf("champion is v%s after staging's rollback, want v7", v)
	}
	rs, _, err := audit.Read(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Context+" "+string(r.State))
	}
	if strings.Join(got, ", ") != "prod-eu refused, staging requested, staging succeeded" {
		t.Errorf("audit records: %v", got)
	}

	auditLines := func(args ...string) []string {
		var out, errb strings.Builder
		if code := run(append([]string{"audit", "--config", cfg}, args...), &out, &errb); code != exitOK {
			t.Fatalf("audit %v: exit %d: %s", args, code, errb.String())
		}
		return strings.Split(strings.TrimSpace(out.String()), "\n")
	}
	lines := auditLines("--context", "staging")
	if len(lines) != 2 || !strings.Contains(lines[0], "payments-fraud  in staging") || strings.Contains(strings.Join(lines, "\n"), "prod-eu") {
		t.Errorf("audit --context staging:\n%s", strings.Join(lines, "\n"))
	}
	if lines := auditLines(); len(lines) != 3 || !strings.Contains(lines[0], "in prod-eu") {
		t.Errorf("audit without --context:\n%s", strings.Join(lines, "\n"))
	}
}
