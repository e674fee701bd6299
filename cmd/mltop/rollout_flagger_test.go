package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/testenv"
)

// mltop rollout with kind flagger against the real Flagger load tester
// (built from its module): each verb's gate is then as Flagger's webhooks
// would find it (/gate/check, /rollback/check), and the verbs Flagger has
// no lever for are refused without a request.
func TestRolloutFlaggerAgainstLoadTester(t *testing.T) {
	bin := testenv.EngineBinary(t, testenv.FlaggerLoadTesterEngine) // before isolate moves HOME
	lt := testenv.StartFlaggerLoadTester(t, bin, "")
	filtered := testenv.StartFlaggerLoadTester(t, bin, "^prod$")
	home := isolate(t)
	auditPath := filepath.Join(home, "audit.jsonl")
	config := func(base string) string {
		return writeConfig(t, fmt.Sprintf(`prometheus: {url: "http://127.0.0.1:9"}
audit: {path: %s}
actions:
  rollout: {kind: flagger, loadtester: %q, namespace: ml, name: "{{.Model}}"}
`, auditPath, base))
	}
	cfg := config(lt)
	// check asks the gate as the Canary's webhook does.
	check := func(path string) int {
		t.Helper()
		resp, err := http.Post(lt+path, "application/json", strings.NewReader(`{"name":"fraud","namespace":"ml","phase":"Progressing"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		args        []string
		code        int
		out         []string
		path        string // the gate checked after
		checkStatus int
	}{
		{[]string{"promote"}, exitOK, []string{"canary ml/fraud: state unknown", "promotion gate: closed → open",
			`sends POST /gate/open {"name":"fraud","namespace":"ml"}`, "SUCCEEDED: promote rollout: the load tester opened the promotion gate of canary ml/fraud (HTTP 202)"},
			"/gate/check", http.StatusOK},
		{[]string{"promote"}, exitActionFailed, []string{"REFUSED: the promotion gate of fraud is already open"}, "/gate/check", http.StatusOK},
		{[]string{"pause"}, exitOK, []string{"promotion gate: open → closed", "the load tester closed the promotion gate"}, "/gate/check", http.StatusForbidden},
		{[]string{"resume"}, exitOK, []string{"promotion gate: closed → open"}, "/gate/check", http.StatusOK},
		{[]string{"abort"}, exitOK, []string{"rollback gate: closed → open", "shifts all traffic back to the primary", "note: the rollback gate stays open until closed (/rollback/close); until then Flagger rolls back each revision"}, "/rollback/check", http.StatusOK},
		{[]string{"promote", "--full"}, exitActionFailed, []string{"REFUSED: Flagger's manual gating has no lever to skip the analysis"}, "", 0},
		{[]string{"retry"}, exitActionFailed, []string{"REFUSED: Flagger has no retry"}, "", 0},
	} {
		args := append(append([]string{"rollout", c.args[0], "fraud"}, c.args[1:]...), "--reason", "canary errors", "--yes", "--config", cfg, "--log-file", "-")
		var out, errb strings.Builder
		code := run(args, &out, &errb)
		all := out.String() + errb.String()
		if code != c.code {
			t.Errorf("mltop rollout %v: exit %d, want %d\n%s", c.args, code, c.code, all)
		}
		for _, s := range c.out {
			if !strings.Contains(all, s) {
				t.Errorf("mltop rollout %v: output lacks %q:\n%s", c.args, s, all)
			}
		}
		if c.path != "" {
			if got := check(c.path); got != c.checkStatus {
				t.Errorf("after %v: %s answers %d, want %d", c.args, c.path, got, c.checkStatus)
			}
		}
	}

	var out, errb strings.Builder
	code := run([]string{"rollout", "promote", "fraud", "--reason", "r", "--yes", "--config", config(filtered), "--log-file", "-"}, &out, &errb)
	if all := out.String() + errb.String(); code != exitActionFailed || !strings.Contains(all, "the load tester refuses namespace ml (its -namespace-regexp does not match it)") {
		t.Errorf("filtered namespace: exit %d\n%s", code, all)
	}

	recs, _, err := audit.Read(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	var done []string
	for _, r := range recs {
		if r.State == audit.Succeeded && r.Adapter == "flagger" {
			done = append(done, r.Action+" "+r.After["promotion gate"]+r.After["rollback gate"])
		}
	}
	if got := strings.Join(done, ", "); got != "rollout-promote open, rollout-pause closed, rollout-resume open, rollout-abort open" {
		t.Errorf("audit log: %s", got)
	}
}
