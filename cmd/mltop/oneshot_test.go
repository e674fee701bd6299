package main

import (
	"strings"
	"testing"
)

// TestOneShotExitCodes: check's 1 means "breached", so its usage and
// missing-config errors are 2; snapshot keeps 1 for a missing config.
// Against a fake Prometheus, check's 2 also means "cannot tell": a
// partial answer, no model at all, no answer within --wait.
func TestOneShotExitCodes(t *testing.T) {
	isolate(t)
	healthy := fakeProm(t, fleetAnswer("10", "0.001"))
	breached := fakeProm(t, fleetAnswer("10", "0.08"))
	infinite := fakeProm(t, fleetAnswer("0", "+Inf"))
	partial := fakeProm(t, fleetAnswer("10", "0.001", "partial: store 10.0.0.7:10901: connection refused"))
	empty := fakeProm(t, func(string) (string, []string) { return "[]", nil })
	silent := fakeProm(t, nil)
	cases := []struct {
		args []string
		code int
		says string // on stderr
		out  string // on stdout
	}{
		{[]string{"check", "--format", "yaml"}, exitFailure, "--format must be text or json", ""},
		{[]string{"snapshot", "--format", "yaml"}, exitFailure, "--format must be json or table", ""},
		{[]string{"check"}, exitFailure, "no config file found", ""},
		{[]string{"snapshot"}, exitNoConfig, "no config file found", ""},
		{[]string{"check", "--prometheus", healthy}, exitOK, "", "healthy: 1 models"},
		{[]string{"check", "--prometheus", breached}, exitBreach, "", "breached: 1 models, 1 breaches"},
		{[]string{"check", "--prometheus", infinite}, exitBreach, "", "CRITICAL  fraud v8: errors with no successful prediction"},
		{[]string{"check", "--prometheus", partial}, exitFailure, "", "WARNING   prometheus: partial: store 10.0.0.7:10901: connection refused"},
		{[]string{"check", "--prometheus", empty}, exitFailure, "", "no models found: query request_rate"},
		{[]string{"check", "--prometheus", silent, "--wait", "1s"}, exitFailure, "", "FAILED    prometheus: no answer within 1s; raise --wait"},
		{[]string{"snapshot", "--prometheus", silent, "--wait", "1s"}, exitOK, "", `"error": "no answer within 1s; raise --wait"`},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		code := run(append(c.args, "--log-file", "-"), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.says) || !strings.Contains(out.String(), c.out) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want %d, %q and %q", c.args, code, errb.String(), out.String(), c.code, c.says, c.out)
		}
	}
}
