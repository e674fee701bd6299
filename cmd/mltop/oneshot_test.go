package main

import (
	"strings"
	"testing"
)

// TestOneShotExitCodes: check's 1 means "breached", so its usage and
// missing-config errors are 2; snapshot keeps 1 for a missing config.
func TestOneShotExitCodes(t *testing.T) {
	isolate(t)
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"check", "--format", "yaml"}, exitFailure, "--format must be text or json"},
		{[]string{"snapshot", "--format", "yaml"}, exitFailure, "--format must be json or table"},
		{[]string{"check"}, exitFailure, "no config file found"},
		{[]string{"snapshot"}, exitNoConfig, "no config file found"},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		if code := run(append(c.args, "--log-file", "-"), &out, &errb); code != c.code || !strings.Contains(errb.String(), c.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.says)
		}
	}
}
