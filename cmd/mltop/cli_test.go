package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/lastmodels"
	"github.com/mltop/mltop/internal/wiring"
)

// Each command's help lists every flag the command parses, and each
// sub-command's too: help comes from the flags, not from a hand-kept text.
func TestEveryCommandsHelpListsTheFlagsItParses(t *testing.T) {
	isolate(t)
	checked := 0
	for _, c := range commands() {
		paths := [][]string{{c.name}}
		for _, s := range c.subs {
			paths = append(paths, []string{c.name, s.name})
		}
		for _, path := range paths {
			if c.flagless && len(path) == 1 || c.name == "" {
				continue
			}
			var fs *flag.FlagSet
			if len(path) == 1 {
				fs = probeFlags(c.run)
			} else {
				fs = probeFlags(c.run, path[1])
			}
			if fs == nil {
				t.Errorf("mltop %s: no flag set reached parseArgs", strings.Join(path, " "))
				continue
			}
			var stdout, stderr bytes.Buffer
			if code := run(append(slices.Clone(path), "--help"), &stdout, &stderr); code != exitOK {
				t.Errorf("mltop %s --help: exit %d: %s", strings.Join(path, " "), code, stderr.String())
			}
			fs.VisitAll(func(f *flag.Flag) {
				if lineStarting(stdout.String(), "--"+f.Name) == "" && !strings.Contains(stdout.String(), "  --"+f.Name+"\n") {
					t.Errorf("mltop %s --help lacks --%s:\n%s", strings.Join(path, " "), f.Name, stdout.String())
				}
			})
			if !strings.Contains(stdout.String(), "mltop "+strings.Join(path, " ")) {
				t.Errorf("mltop %s --help shows no usage line:\n%s", strings.Join(path, " "), stdout.String())
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked %d commands' help, want every command's (at least 20)", checked)
	}
	// mltop help COMMAND is the same text as mltop COMMAND --help.
	var a, b, e bytes.Buffer
	run([]string{"help", "rollout", "promote"}, &a, &e)
	run([]string{"rollout", "promote", "--help"}, &b, &e)
	if a.String() != b.String() || a.Len() == 0 {
		t.Errorf("mltop help rollout promote differs from mltop rollout promote --help:\n%s\n---\n%s", a.String(), b.String())
	}
	if code := run([]string{"help", "nosuch"}, &a, &e); code != exitFailure {
		t.Errorf("mltop help nosuch: exit %d, want %d", code, exitFailure)
	}
}

// complete asks mltop what the shell should offer after args, as the
// completion scripts do.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"__complete"}, args...), &stdout, &stderr); code != exitOK {
		t.Fatalf("mltop __complete %v: exit %d: %s", args, code, stderr.String())
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if strings.HasPrefix(l, ":") { // the directive
			continue
		}
		name, _, _ := strings.Cut(l, "\t")
		out = append(out, name)
	}
	return out
}

// Model names and versions come from the last poll of the context the
// command line names (the demo's with --demo); formats from the usage
// line; contexts from the config file.
func TestCompletionOffersWhatMltopKnows(t *testing.T) {
	dir := isolate(t)
	state := lastmodels.Dir(wiring.StateDir())
	save := func(context string, ms ...lastmodels.Model) {
		if err := lastmodels.Save(state+"/"+lastmodels.FileName(context), ms); err != nil {
			t.Fatal(err)
		}
	}
	save("prod", lastmodels.Model{Name: "fraud", Versions: []string{"7", "8"}}, lastmodels.Model{Name: "churn"})
	save("staging", lastmodels.Model{Name: "eta", Versions: []string{"1"}})
	save("demo", lastmodels.Model{Name: "demo-only"})
	cfg := filepath.Join(dir, "config.yaml")
	yaml := "contexts:\n  prod:\n    prometheus: {url: http://127.0.0.1:1}\n  staging:\n    prometheus: {url: http://127.0.0.1:2}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"rollback", ""}, []string{"churn", "eta", "fraud"}},
		{[]string{"rollback", "--context", "prod", ""}, []string{"churn", "fraud"}},
		{[]string{"rollback", "--demo", ""}, []string{"demo-only"}},
		{[]string{"rollout", "promote", ""}, []string{"churn", "eta", "fraud"}},
		{[]string{"verdict", "fraud", "--candidate", ""}, []string{"7", "8"}},
		{[]string{"reference", "export", "fraud", ""}, []string{"7", "8"}},
		{[]string{"audit", "--model", ""}, []string{"churn", "eta", "fraud"}},
		{[]string{"snapshot", "--format", ""}, []string{"json", "table"}},
		{[]string{"rules", "--format", ""}, []string{"prometheus", "prometheusrule"}},
		{[]string{"snapshot", "--config", cfg, "--context", ""}, []string{"prod", "staging"}},
		{[]string{"rollout", ""}, []string{"abort", "pause", "promote", "resume", "retry"}},
		{[]string{"completion", ""}, []string{"bash", "fish", "powershell", "zsh"}},
	} {
		got := complete(t, c.args...)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("mltop %s<TAB> offers %q, want %q", strings.Join(c.args, " "), got, c.want)
		}
	}
	if got := complete(t, "sn"); !slices.Contains(got, "snapshot") {
		t.Errorf("mltop sn<TAB> offers %q, want snapshot", got)
	}
	if got := complete(t, "snapshot", "--th"); !slices.Equal(got, []string{"--theme"}) {
		t.Errorf("mltop snapshot --th<TAB> offers %q, want --theme", got)
	}
}

// A one-shot poll keeps its models for completion: after mltop snapshot
// --demo, mltop rollback --demo <TAB> offers exactly the models it printed.
func TestSnapshotRemembersModelsForCompletion(t *testing.T) {
	isolate(t)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"snapshot", "--demo", "--wait", "20s"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("snapshot --demo: exit %d: %s", code, stderr.String())
	}
	var doc struct {
		Models []struct{ Name string } `json:"models"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("snapshot JSON: %v", err)
	}
	var printed []string
	for _, m := range doc.Models {
		printed = append(printed, m.Name)
	}
	if len(printed) == 0 {
		t.Fatalf("no model names found in the snapshot:\n%.2000s", stdout.String())
	}
	slices.Sort(printed)
	if got := complete(t, "rollback", "--demo", ""); !slices.Equal(got, printed) {
		t.Errorf("rollback --demo <TAB> offers %q, want the snapshot's models %q", got, printed)
	}
	if got := complete(t, "rollback", ""); len(got) != 0 {
		t.Errorf("without --demo the demo's models are offered: %q", got)
	}
}

// A shell asked for, or none, is an error with the usage; a script is
// printed for each shell.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"completion", sh}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "__complete") {
			t.Errorf("completion %s: exit %d, script %.200q, stderr %q", sh, code, stdout.String(), stderr.String())
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitFailure || stdout.Len() != 0 || !strings.Contains(stderr.String(), "usage: mltop completion") {
			t.Errorf("mltop %v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}
