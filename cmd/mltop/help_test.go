package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

// mltop --help lists every global flag, each with its argument and its
// explanation, and exits 0.
func TestHelpListsGlobalFlags(t *testing.T) {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	var g globalFlags
	var u uiFlags
	g.register(fs)
	u.register(fs)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) < 8 {
		t.Fatalf("only %d global flags registered: %v", len(names), names)
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}, {"--theme", "light", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitOK {
			t.Errorf("mltop %v: exit %d, want 0", args, code)
		}
		if stderr.Len() != 0 {
			t.Errorf("mltop %v wrote to stderr: %q", args, stderr.String())
		}
		out := stdout.String()
		for _, n := range names {
			text, ok := globalFlagText[n]
			if !ok {
				t.Errorf("flag --%s has no --help text", n)
				continue
			}
			want := strings.TrimSpace("--" + n + " " + text[0])
			line := lineStarting(out, want)
			if line == "" || !strings.Contains(line, text[1]) {
				t.Errorf("mltop %v: no line for --%s with %q:\n%s", args, n, text[1], out)
			}
		}
		for _, want := range []string{"mltop demo", "mltop check", "Run 'mltop COMMAND --help'"} {
			if !strings.Contains(out, want) {
				t.Errorf("mltop %v lacks %q", args, want)
			}
		}
	}
}

// lineStarting is the first line whose text starts with prefix, after
// its indentation.
func lineStarting(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix+" ") {
			return l
		}
	}
	return ""
}

// Every command named in mltop --help answers -h and --help with its
// usage on stdout and exit 0, and contacts nothing: the flags are
// parsed before any config is read.
func TestEveryCommandHelpExitsZero(t *testing.T) {
	isolate(t)
	var cmds [][]string
	seen := map[string]bool{}
	for _, l := range strings.Split(usageCommands, "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != "mltop" || strings.Trim(f[1], "abcdefghijklmnopqrstuvwxyz") != "" || seen[f[1]] {
			continue
		}
		seen[f[1]] = true
		cmds = append(cmds, []string{f[1]})
		if f[1] == "reference" {
			cmds = append(cmds, []string{"reference", f[2]})
		}
	}
	cmds = append(cmds, nil) // the dashboard
	if len(cmds) < 10 {
		t.Fatalf("found only %d commands in the usage: %v", len(cmds), cmds)
	}
	for _, cmd := range cmds {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string(nil), cmd...), h)
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != exitOK {
				t.Errorf("mltop %s: exit %d, want 0; stderr %q", strings.Join(args, " "), code, stderr.String())
			}
			if stdout.Len() == 0 {
				t.Errorf("mltop %s printed no help on stdout", strings.Join(args, " "))
			}
			if stderr.Len() != 0 {
				t.Errorf("mltop %s wrote to stderr: %q", strings.Join(args, " "), stderr.String())
			}
		}
	}
	// A bad flag is still an error, on stderr.
	for _, args := range [][]string{{"snapshot", "--nope"}, {"audit", "--nope"}, {"reference", "export", "--nope"}, {"rollback", "m", "--nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code == exitOK || stderr.Len() == 0 || stdout.Len() != 0 {
			t.Errorf("mltop %v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}
