package config_test

import (
	"slices"
	"testing"

	"github.com/mltop/mltop/internal/actions"
)

// Kind flagger's keys are checked when the file is loaded, each error
// with its line.
func TestFlaggerConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"no load tester", "actions:\n  rollout: {kind: flagger, namespace: ml}\n",
			[]string{`config.yaml:2: actions.rollout.loadtester: is required: the Flagger load tester's address, e.g. http://flagger-loadtester.test`}},
		{"url instead of loadtester", "actions:\n  rollout:\n    kind: flagger\n    url: \"http://lt\"\n    loadtester: \"http://lt\"\n",
			[]string{`config.yaml:4: actions.rollout.url: kind flagger does not use url: the load tester's address is loadtester`}},
		{"load tester not http", "actions:\n  rollout:\n    kind: flagger\n    loadtester: \"ftp://lt\"\n",
			[]string{`config.yaml:4: actions.rollout.loadtester: not an http or https URL: "ftp://lt"`}},
		{"api server not https", "actions:\n  rollout:\n    kind: flagger\n    loadtester: \"http://lt\"\n    kubernetes: {server: \"http://k8s:6443\"}\n",
			[]string{`config.yaml:5: actions.rollout.kubernetes.server: want https://host[:port], got "http://k8s:6443"`}},
		{"bad namespace", "actions:\n  rollout:\n    kind: flagger\n    loadtester: \"http://lt\"\n    namespace: Models\n",
			[]string{`config.yaml:5: actions.rollout.namespace: "Models" is not a Kubernetes namespace name`}},
		{"key of another kind", "actions:\n  rollout:\n    kind: flagger\n    loadtester: \"http://lt\"\n    dag: d\n",
			[]string{`config.yaml:5: actions.rollout.dag: is a key of kind airflow, not of flagger`}},
	} {
		got := parseErrs(t, c.src)
		for _, w := range c.want {
			if !slices.ContainsFunc(got, func(g string) bool { return len(g) >= len(w) && g[:len(w)] == w }) {
				t.Errorf("%s: errors %q, want one starting %q", c.name, got, w)
			}
		}
	}
}

// A valid flagger rollout loads with its defaults, and its token path is
// resolved like every path.
func TestFlaggerConfigLoads(t *testing.T) {
	c := mustParse(t, "actions:\n  rollout:\n    kind: flagger\n    loadtester: \"http://flagger-loadtester.test\"\n    kubernetes: {server: \"https://k8s:6443\", token_file: ~/t}\n", env(map[string]string{"HOME": "/home/ana"}))
	p, ok := c.Actions.Rollout.Params.(*actions.FlaggerParams)
	if !ok {
		t.Fatalf("params %T", c.Actions.Rollout.Params)
	}
	if p.Namespace != "default" || p.Name != "{{.Model}}" || p.LoadTester != "http://flagger-loadtester.test" || p.Kubernetes.TokenFile != "/home/ana/t" {
		t.Errorf("params %+v", *p)
	}
}
