package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/demo"
)

// runWithFleet runs mltop with args (which start the demo fleet) and calls
// look with the fleet before it stops.
func runWithFleet(t *testing.T, look func(*demo.Fleet), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	called := false
	onDemoFleet = func(f *demo.Fleet) {
		called = true
		if look != nil {
			look(f)
		}
	}
	defer func() { onDemoFleet = nil }()
	var out, errb strings.Builder
	code = run(append(args, "--log-file", "-"), &out, &errb)
	if !called && look != nil {
		t.Errorf("mltop %v did not start the demo fleet", args)
	}
	return code, out.String(), errb.String()
}

// champion reads the demo registry's champion alias of model.
func champion(t *testing.T, f *demo.Fleet, model string) string {
	t.Helper()
	q := url.Values{"name": {model}, "alias": {"champion"}}
	resp, err := http.Get(f.RegistryURL() + "/api/2.0/mlflow/registered-models/alias?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		ModelVersion struct {
			Version string `json:"version"`
		} `json:"model_version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	return got.ModelVersion.Version
}

func demoAudit(t *testing.T, home string) []audit.Record {
	t.Helper()
	rs, torn, err := audit.Read(filepath.Join(home, "state", "mltop", "demo-audit.jsonl"))
	if err != nil || torn != 0 {
		t.Fatalf("read demo audit: torn %d, err %v", torn, err)
	}
	return rs
}

func TestRollbackDemoMovesTheAlias(t *testing.T) {
	home := isolate(t)
	alias := ""
	code, out, errs := runWithFleet(t, func(f *demo.Fleet) { alias = champion(t, f, "payments-fraud") },
		"rollback", "payments-fraud", "--reason", "incident", "--yes", "--demo")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if alias != "7" {
		t.Errorf("champion of payments-fraud is v%s after the rollback, want v7", alias)
	}
	for _, want := range []string{"alias champion: 8 → 7", "traffic returns to v7 at once", "registry history", "SUCCEEDED: alias champion now points at v7"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rs := demoAudit(t, home)
	if len(rs) != 2 || rs[0].State != audit.Requested || rs[1].State != audit.Succeeded || rs[1].Reason != "incident" ||
		rs[1].Before["version"] != "8" || rs[1].After["version"] != "7" || rs[1].Actor.Role != "operator" || rs[1].Actor.User == "" {
		t.Fatalf("audit %+v", rs)
	}

	var text, js strings.Builder
	if code := run([]string{"audit", "--demo", "--model", "payments-fraud", "--since", "1h"}, &text, &js); code != exitOK {
		t.Fatalf("audit exit %d: %s", code, js.String())
	}
	for _, want := range []string{"succeeded", "rollback  payments-fraud  champion 8 → 7", `"incident"`, rs[0].ID} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("mltop audit lacks %q:\n%s", want, text.String())
		}
	}
	text.Reset()
	if code := run([]string{"audit", "--demo", "--format", "json", "--state", "succeeded"}, &text, &js); code != exitOK {
		t.Fatalf("audit json exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	var back audit.Record
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &back) != nil || back.ID != rs[1].ID {
		t.Errorf("audit --format json: %q", text.String())
	}
}

func TestRollbackRefusesWithoutConfirmation(t *testing.T) {
	home := isolate(t)
	saved := terminal
	defer func() { terminal = saved }()
	cases := []struct {
		name  string
		tty   bool
		input string
		args  []string
		code  int
		alias string
		says  string
	}{
		{"read-only", false, "", []string{"--yes", "--read-only"}, 1, "8", "REFUSED: mltop runs read-only"},
		{"no terminal, no --yes", false, "", nil, 1, "8", "pass --yes"},
		{"name mistyped", true, "payments\n", nil, 1, "8", "the name does not match"},
		{"name typed", true, "payments-fraud\n", nil, 0, "7", "SUCCEEDED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terminal.isTTY = func() bool { return c.tty }
			terminal.in = strings.NewReader(c.input)
			alias := ""
			args := append([]string{"rollback", "--demo", "payments-fraud", "--reason", "test"}, c.args...)
			code, out, errs := runWithFleet(t, func(f *demo.Fleet) { alias = champion(t, f, "payments-fraud") }, args...)
			if code != c.code || alias != c.alias {
				t.Errorf("exit %d, champion v%s; want %d, v%s", code, alias, c.code, c.alias)
			}
			if !strings.Contains(out+errs, c.says) {
				t.Errorf("output lacks %q:\n%s\n%s", c.says, out, errs)
			}
		})
	}
	var states []audit.State
	for _, r := range demoAudit(t, home) {
		states = append(states, r.State)
	}
	// Only the read-only refusal and the confirmed rollback reached the executor.
	if strings.Join(toStrings(states), ",") != "refused,requested,succeeded" {
		t.Errorf("audit states %v", states)
	}
}

func toStrings(ss []audit.State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func TestActionUsageErrors(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"rollback", "--reason", "x"},
		{"rollback", "a", "b", "--reason", "x"},
		{"retrain", "--bogus"},
	} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb); code != exitActionUnknown {
			t.Errorf("mltop %v: exit %d, want 2", args, code)
		}
	}
	var out, errb strings.Builder
	if code := run([]string{"audit", "--since", "yesterday"}, &out, &errb); code != exitFailure {
		t.Errorf("audit --since yesterday: exit %d", code)
	}
}

// A state no record can have is a typo, not an empty log.
func TestAuditRefusesAnUnknownState(t *testing.T) {
	isolate(t)
	var out, errb strings.Builder
	code := run([]string{"audit", "--demo", "--state", "bogus"}, &out, &errb)
	if code != exitFailure || out.Len() != 0 ||
		!strings.Contains(errb.String(), `--state must be one of requested, succeeded, failed, unknown, refused, awaiting-approval, approved, rejected, expired, not "bogus"`) {
		t.Errorf("audit --state bogus: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"audit", "--demo", "--state", "Failed"}, &out, &errb); code != exitOK || errb.Len() != 0 {
		t.Errorf("audit --state Failed: exit %d, stderr %q", code, errb.String())
	}
}

func TestAuditCountsTornLines(t *testing.T) {
	home := isolate(t)
	path := filepath.Join(home, "audit.jsonl")
	cfg := filepath.Join(home, "mltop.yaml")
	if err := os.WriteFile(cfg, []byte("audit: {path: "+path+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := audit.New(path).Append(audit.Record{ID: "r1", State: audit.Refused, Model: "m", Action: "retrain"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"id":"r2","sta`)
	_ = f.Close()
	var out, errb strings.Builder
	if code := run([]string{"audit", "--config", cfg}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "refused") || !strings.Contains(errb.String(), "1 unreadable line(s) skipped") {
		t.Errorf("stdout %q stderr %q", out.String(), errb.String())
	}
}

func TestRetrainDemoStartsARun(t *testing.T) {
	home := isolate(t)
	var received []demo.WebhookRequest
	code, out, errs := runWithFleet(t, func(f *demo.Fleet) { received = f.Received() },
		"retrain", "churn-predictor", "--reason", "drift", "--yes", "--demo", "--wait", "30s")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	rs := demoAudit(t, home)
	if len(rs) != 2 || rs[1].State != audit.Succeeded || rs[1].Response == nil || rs[1].Response.Status != 202 || rs[1].Response.RunID == "" {
		t.Fatalf("audit %+v", rs)
	}
	if !strings.Contains(out, "run "+rs[1].Response.RunID) {
		t.Errorf("output lacks the run id %s:\n%s", rs[1].Response.RunID, out)
	}
	if len(received) != 1 {
		t.Fatalf("webhook received %d requests, want 1", len(received))
	}
	if got := received[0].Header.Get("Idempotency-Key"); got != rs[0].ID {
		t.Errorf("Idempotency-Key %q, want the request id %s", got, rs[0].ID)
	}
	var body struct {
		Model   string `json:"model"`
		Reason  string `json:"reason"`
		Version string `json:"version"`
		Summary struct {
			Health       string `json:"health"`
			DriftFeature string `json:"drift_feature"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(received[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Model != "churn-predictor" || body.Reason != "drift" || body.Version != "3" || body.Summary.Health == "unknown" || body.Summary.DriftFeature == "" {
		t.Errorf("webhook body %s", received[0].Body)
	}
}
