package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// The top level is read again for every context: aliases that stay under
// the budget once may not multiply with the contexts.
func TestContextsShareTheFilesBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("actions:\n  two_person:\n    a0: &a [")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("x")
	}
	b.WriteString("]\n")
	for i := 1; i < 60; i++ {
		fmt.Fprintf(&b, "    a%d: *a\n", i)
	}
	top := b.String() // 60,000 values: within the budget alone
	if _, err := config.ParseEnv("config.yaml", []byte(top), noEnv); err != nil {
		t.Fatalf("the top level alone: %v", err)
	}
	got := parseErrs(t, top+"contexts:\n  a: {}\n  b: {}\n")
	want := `config.yaml:64: contexts.a: too many values: the top level is read again for each context, and the contexts come to more than 100000 values (aliases expand them)`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), want)
	}
}

func TestAtMost64Contexts(t *testing.T) {
	file := func(n int) string {
		var b strings.Builder
		b.WriteString("refresh: 10s\ncontexts:\n")
		for i := range n {
			fmt.Fprintf(&b, "  c%d: {}\n", i)
		}
		return b.String()
	}
	if c := mustParse(t, file(64), noEnv); len(c.Contexts) != 64 {
		t.Errorf("64 contexts read as %d", len(c.Contexts))
	}
	got := parseErrs(t, file(65))
	if want := `config.yaml:3: contexts: 65 contexts: at most 64 are allowed`; len(got) != 1 || got[0] != want {
		t.Errorf("65 contexts: %q, want %q", got, want)
	}
}

// An empty mapping written in a context clears the top level's; a key
// with no value keeps it; an empty string unsets a file.
func TestContextUnsetsTheTopLevelsCredentials(t *testing.T) {
	c := mustParse(t, `prometheus:
  url: http://prom:9090
  bearer_token_file: /run/tok
  basic_auth: {username: ana, password_file: /run/pw}
  headers: {Authorization: Bearer x, X-Scope-OrgID: team-a}
contexts:
  cleared:
    prometheus:
      bearer_token_file: ""
      basic_auth: {}
      headers: {}
  kept:
    prometheus:
      headers:
  added:
    prometheus:
      headers: {X-Extra: one}
`, noEnv)
	p := context(t, c, "cleared").Prometheus
	if p.BearerTokenFile != "" || p.BasicAuth != (config.BasicAuth{}) || len(p.Headers) != 0 || p.URL != "http://prom:9090" {
		t.Errorf("cleared: token %q, basic auth %+v, headers %v, url %q", p.BearerTokenFile, p.BasicAuth, p.Headers, p.URL)
	}
	if h := context(t, c, "kept").Prometheus.Headers; len(h) != 2 || h["Authorization"] != "Bearer x" {
		t.Errorf("kept: headers %v, want the top level's", h)
	}
	if h := context(t, c, "added").Prometheus.Headers; len(h) != 3 {
		t.Errorf("added: headers %v, want the top level's and its own", h)
	}
}

func TestContextSendingTheTopLevelsSecretsElsewhereWarns(t *testing.T) {
	c := mustParse(t, `prometheus:
  url: http://prom-a:9090
  bearer_token_file: /run/tok
  headers: {Authorization: Bearer x, X-Scope-OrgID: team-a}
alertmanager:
  url: http://am-a:9093
  basic_auth: {username: ana, password_file: /run/pw}
actions:
  retrain:
    kind: webhook
    url: http://hooks-a/retrain
    token_file: /run/hook
contexts:
  moved:
    prometheus:
      url: http://prom-b:9090
    alertmanager:
      url: http://am-b:9093
    actions:
      retrain:
        url: http://hooks-b/retrain
  own:
    prometheus:
      url: http://prom-b:9090
      bearer_token_file: /run/tok-b
      headers: {}
  port:
    prometheus:
      url: http://prom-a:9091
  kept: {}
`, noEnv)
	want := []string{
		`config.yaml:16: contexts.moved.prometheus.url: host prom-b is not the top level's (prom-a), yet the context keeps the top level's prometheus.bearer_token_file (line 3), prometheus.headers.Authorization (line 4): secrets written for prom-a would be sent to prom-b; write the context's own, or unset them in the context (bearer_token_file: "", headers: {})`,
		`config.yaml:18: contexts.moved.alertmanager.url: host am-b is not the top level's (am-a), yet the context keeps the top level's alertmanager.basic_auth.password_file (line 7): secrets written for am-a would be sent to am-b; write the context's own, or unset them in the context (basic_auth: {})`,
		`config.yaml:21: contexts.moved.actions.retrain.url: host hooks-b is not the top level's (hooks-a), yet the context keeps the top level's actions.retrain.token_file (line 12): secrets written for hooks-a would be sent to hooks-b; write the context's own, or unset them in the context (token_file: "")`,
	}
	got := context(t, c, "moved").Warnings()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("moved: warnings\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, name := range []string{"own", "port", "kept"} {
		if w := context(t, c, name).Warnings(); len(w) != 0 {
			t.Errorf("%s: warnings %q, want none", name, w)
		}
	}
}
