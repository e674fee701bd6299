package main

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
)

// mltop rollout's usage, verbs and flags, without a cluster.
func TestRolloutCommandLine(t *testing.T) {
	home := isolate(t)
	cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\naudit: {path: "+home+"/audit.jsonl}\n")
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"rollout"}, exitActionUnknown, "", "usage: mltop rollout VERB MODEL"},
		{[]string{"rollout", "--help"}, exitOK, "promote --full", ""},
		{[]string{"rollout", "undo", "m"}, exitActionUnknown, "", `unknown verb "undo": want abort, promote, pause, resume or retry`},
		{[]string{"rollout", "promote", "--help"}, exitOK, "-full", ""},
		{[]string{"rollout", "abort", "--help"}, exitOK, "-reason", ""},
		{[]string{"rollout", "abort"}, exitActionUnknown, "", "mltop rollout abort: no model named"},
		{[]string{"rollout", "pause", "--full", "m"}, exitActionUnknown, "", "flag provided but not defined: -full"},
		{[]string{"rollout", "abort", "m", "--reason", "r", "--yes", "--config", cfg}, exitActionFailed, "",
			"mltop rollout abort: no rollout action is configured: set actions.rollout in the config file"},
	} {
		var out, errb strings.Builder
		code := run(c.args, &out, &errb)
		if code != c.code || !strings.Contains(out.String(), c.stdout) || !strings.Contains(errb.String(), c.stderr) {
			t.Errorf("mltop %v: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout %q, stderr %q",
				c.args, code, c.code, out.String(), errb.String(), c.stdout, c.stderr)
		}
	}
}

func TestRolloutChangeInTheAuditLine(t *testing.T) {
	before := map[string]string{"rollout": "ml/fraud", "step": "1/4", "weight": "25", "paused": "true", "aborted": "false"}
	after := map[string]string{"step": "1/4", "weight": "0", "paused": "true", "aborted": "true"}
	if got, want := audit.Change(before, after), "rollout ml/fraud weight 25 → 0, aborted false → true"; got != want {
		t.Errorf("change = %q, want %q", got, want)
	}
	if got := audit.Change(map[string]string{"version": "8"}, map[string]string{"alias": "champion", "version": "7"}); got != "champion 8 → 7" {
		t.Errorf("a rollback's change = %q", got)
	}
}
