package main

import (
	"bytes"
	"strings"
	"testing"
)

// --at on a command that cannot look back is refused before anything is
// read or sent: a rollback or a verdict must not act on today's fleet
// while the operator asked about the past.
func TestCommandsThatCannotLookBackRefuseAt(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"verdict", "m", "--demo", "--at", "-1h"},
		{"history", "m", "--demo", "--at", "-1h"},
		{"rollback", "m", "--demo", "--reason", "r", "--yes", "--at", "-1h"},
		{"rollout", "abort", "m", "--demo", "--reason", "r", "--yes", "--at", "-1h"},
		{"silence", "m", "--demo", "--for", "1h", "--reason", "r", "--yes", "--at", "-1h"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), "--at: only snapshot and check look back") || stdout.Len() != 0 {
			t.Errorf("mltop %s: exit %d, stdout %q, stderr %q; want 2 and --at refused",
				strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
}
