package config_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
)

const twoContexts = `prometheus:
  url: http://top:9090
  timeout: 7s
  headers:
    X-Scope-OrgID: team-a
actions:
  retrain:
    kind: airflow
    url: http://airflow:8080
    dag: retrain_dag
audit:
  path: /var/lib/mltop/audit.jsonl
current_context: staging
contexts:
  prod-eu:
    prometheus:
      url: http://prod:9090
      headers:
        X-Extra: one
    read_only: true
    actions:
      retrain:
        url: http://airflow-prod:8080
  staging:
    color: Green
    mlflow:
      tracking_uri: http://mlflow-staging:5000
    audit:
      registry_history: /tmp/staging-history.jsonl
  dev:
    color: "#AABBCC"
`

func context(t *testing.T, c *config.Config, name string) *config.Config {
	t.Helper()
	cc, err := c.ForContext(name)
	if err != nil {
		t.Fatalf("ForContext(%q): %v", name, err)
	}
	return cc
}

func TestContextsLayOverTheTopLevel(t *testing.T) {
	c := mustParse(t, twoContexts, env(map[string]string{"HOME": "/home/ana"}))
	if got := c.ContextNames(); !slices.Equal(got, []string{"prod-eu", "staging", "dev"}) {
		t.Fatalf("contexts = %v, want the file's order", got)
	}
	if c.Prometheus.URL != "http://top:9090" || c.ContextName != "" || c.ReadOnly {
		t.Errorf("the top level changed: url %q, context %q, read_only %v", c.Prometheus.URL, c.ContextName, c.ReadOnly)
	}

	prod := context(t, c, "prod-eu")
	if prod.Prometheus.URL != "http://prod:9090" || prod.Prometheus.Timeout != 7*time.Second {
		t.Errorf("prod-eu prometheus = %q timeout %s, want its own url and the top level's timeout", prod.Prometheus.URL, prod.Prometheus.Timeout)
	}
	if h := prod.Prometheus.Headers; h["X-Scope-OrgID"] != "team-a" || h["X-Extra"] != "one" {
		t.Errorf("prod-eu headers = %v, want the top level's and its own", h)
	}
	if !prod.ReadOnly || prod.ContextName != "prod-eu" || prod.ContextColor != "red" {
		t.Errorf("prod-eu read_only %v, name %q, colour %q", prod.ReadOnly, prod.ContextName, prod.ContextColor)
	}
	r := prod.Actions.Retrain
	if r.Kind != "airflow" || r.URL != "http://airflow-prod:8080" || !strings.Contains(fmt.Sprint(r.Params), "retrain_dag") {
		t.Errorf("prod-eu retrain = %+v %+v, want airflow at its own url with the top level's dag", r, r.Params)
	}
	if got, want := prod.Audit.RegistryHistory, ""; got != want {
		t.Errorf("prod-eu registry history = %q, want %q (the wiring names it after the context)", got, want)
	}

	staging := context(t, c, "staging")
	if staging.Prometheus.URL != "http://top:9090" || staging.MLflow.TrackingURI != "http://mlflow-staging:5000" || staging.ReadOnly {
		t.Errorf("staging = prometheus %q, mlflow %q, read_only %v", staging.Prometheus.URL, staging.MLflow.TrackingURI, staging.ReadOnly)
	}
	if staging.ContextColor != "green" || staging.Audit.RegistryHistory != "/tmp/staging-history.jsonl" {
		t.Errorf("staging colour %q, history %q", staging.ContextColor, staging.Audit.RegistryHistory)
	}
	if prod.Audit.Path != "/var/lib/mltop/audit.jsonl" || staging.Audit.Path != prod.Audit.Path {
		t.Errorf("audit logs %q and %q, want the shared one", prod.Audit.Path, staging.Audit.Path)
	}
	if dev := context(t, c, "dev"); dev.ContextColor != "#aabbcc" {
		t.Errorf("dev colour = %q, want #aabbcc", dev.ContextColor)
	}
	// Every context's Config still lists them all, for the switcher.
	if got := staging.ContextNames(); len(got) != 3 || staging.CurrentContext != "staging" {
		t.Errorf("staging's contexts = %v, current %q", got, staging.CurrentContext)
	}
	if cur := context(t, c, ""); cur != staging {
		t.Errorf("current context = %q, want staging (current_context)", cur.ContextName)
	}
}

func TestContextAddsToATopLevelMapping(t *testing.T) {
	c := mustParse(t, `prometheus:
  queries:
    error_ratio: sum by (model, version) (rate(a_errors[5m]))
contexts:
  eu:
    prometheus:
      queries:
        request_rate: sum by (model, version) (rate(a_requests[5m]))
  us:
    prometheus:
      url: http://us:9090
`, noEnv)
	eu := context(t, c, "eu")
	if len(eu.Prometheus.Queries) != 2 {
		t.Errorf("eu queries = %v, want the top level's and its own", eu.Prometheus.Queries)
	}
	if us := context(t, c, "us"); len(us.Prometheus.Queries) != 1 {
		t.Errorf("us queries = %v, want the top level's", us.Prometheus.Queries)
	}
	if cur := context(t, c, ""); cur.ContextName != "eu" {
		t.Errorf("current context = %q, want the first written", cur.ContextName)
	}
}

func TestContextChangingAnActionsKindStartsItAfresh(t *testing.T) {
	c := mustParse(t, `actions:
  retrain:
    kind: airflow
    url: http://airflow:8080
    dag: retrain_dag
contexts:
  lab:
    actions:
      retrain:
        kind: webhook
        url: http://hook:9000/retrain
`, noEnv)
	r := context(t, c, "lab").Actions.Retrain
	if r.Kind != "webhook" || r.URL != "http://hook:9000/retrain" {
		t.Errorf("lab retrain = %+v", r)
	}
}

func TestContextsErrorsNameTheKeyAndLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"a bad value in a context", "prometheus:\n  url: http://top:9090\ncontexts:\n  prod:\n    prometheus:\n      url: ftp://x\n",
			[]string{`config.yaml:6: contexts.prod.prometheus.url: not an http or https URL: "ftp://x"`}},
		{"a bad value among many", "contexts:\n  a:\n    thresholds:\n      error_rate: 2\n  b:\n    refresh: often\n",
			[]string{
				`config.yaml:4: contexts.a.thresholds.error_rate: must be between 0 and 1, got 2`,
				`config.yaml:6: contexts.b.refresh: not a duration: "often"`,
			}},
		{"an unknown key", "contexts:\n  a:\n    promethus: {}\n",
			[]string{`config.yaml:3: contexts.a.promethus: unknown key (did you mean "prometheus"?)`}},
		{"server-wide keys", "contexts:\n  a:\n    serve: {}\n    current_context: a\n    contexts: {}\n",
			[]string{
				`config.yaml:3: contexts.a.serve: cannot be set in a context: mltop serve is one server for every context: write it at the top level`,
				`config.yaml:4: contexts.a.current_context: cannot be set in a context: it chooses among the contexts: write it at the top level`,
				`config.yaml:5: contexts.a.contexts: cannot be set in a context: contexts do not nest`,
			}},
		{"names", "contexts:\n  all: {}\n  -x: {}\n  \"a b\": {}\n  ok: {}\n  ok: {}\n",
			[]string{
				`config.yaml:2: contexts.all: "all" is reserved (:ctx all shows every context): name the context otherwise`,
				`config.yaml:3: contexts.-x: "-x" is not a context name: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63`,
				`config.yaml:4: contexts.a b: "a b" is not a context name: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63`,
				`config.yaml:6: contexts.ok: set twice (first at line 5)`,
			}},
		{"colours", "contexts:\n  a:\n    color: chartreuse\n  b:\n    color: [red]\n",
			[]string{
				`config.yaml:3: contexts.a.color: unknown colour "chartreuse" (known: blue, cyan, gray, green, magenta, orange, pink, purple, red, white, yellow, #rrggbb)`,
				`config.yaml:5: contexts.b.color: expected a colour name or #rrggbb, got a list`,
			}},
		{"current_context unknown", "current_context: prod\ncontexts:\n  prd: {}\n  staging: {}\n",
			[]string{`config.yaml:1: current_context: unknown context "prod" (did you mean "prd"?)`}},
		{"current_context without contexts", "current_context: prod\n",
			[]string{`config.yaml:1: current_context: names context "prod", but the file has no contexts: key`}},
		{"serve users' contexts", "contexts:\n  prod: {}\n  staging: {}\nserve:\n  users:\n    - name: ana\n      keys: [ssh-ed25519 AAAA]\n      contexts: [prod, stagin]\n",
			[]string{`config.yaml:8: serve.users[0].contexts[1]: unknown context "stagin" (did you mean "staging"?)`}},
		{"contexts not a mapping", "contexts: [a, b]\n",
			[]string{`config.yaml:1: contexts: expected a mapping of context names (prod-eu:, staging:, ...), got a list`}},
		{"a context not a mapping", "contexts:\n  a: 3\n",
			[]string{`config.yaml:2: contexts.a: expected a mapping of config keys (prometheus:, mlflow:, color:, ...), got "3"`}},
		{"contexts twice", "contexts:\n  a: {}\ncontexts:\n  b: {}\n",
			[]string{`config.yaml:3: contexts: set twice (first at line 1)`}},
		{"the top level's problem once, not once per context", "refresh: 0s\ncontexts:\n  a: {}\n  b: {}\n",
			[]string{`config.yaml:1: refresh: must be at least 1s, got 0s`}},
		{"a top-level key shown wrong by a context's keys", "drift:\n  reference:\n    offset: 2h\ncontexts:\n  a:\n    window: 1m\n  b:\n    drift:\n      window: 3h\n",
			[]string{`config.yaml:3: drift.reference.offset: must be at least drift.window (3h) so the reference does not overlap the current data, got 2h (in context "b")`}},
		{"a list the context replaces", "prometheus:\n  profile: [mltop, triton]\ncontexts:\n  x:\n    prometheus:\n      profile: tritn\n",
			[]string{`config.yaml:6: contexts.x.prometheus.profile: unknown profile "tritn" (did you mean "triton"? known: argo-rollouts, bentoml, flagger, kserve, mlserver, mltop, seldon-v2, torchserve, triton)`}},
		{"custom actions the context replaces", "actions:\n  custom:\n    - {key: z, title: t, kind: webhook, url: http://x}\ncontexts:\n  x:\n    actions:\n      custom:\n        - {key: z, title: t, kind: webhook}\n",
			[]string{`config.yaml:8: contexts.x.actions.custom[0].url: is required for kind webhook`}},
		{"an action whose kind the context changed", "actions:\n  retrain:\n    kind: airflow\n    url: http://airflow:8080\n    dag: d\ncontexts:\n  lab:\n    actions:\n      retrain:\n        kind: webhook\n",
			[]string{`config.yaml:10: contexts.lab.actions.retrain.url: is required for kind webhook`}},
		{"a map's entry the context replaces", "actions:\n  typed_name: {tier: [gold]}\ncontexts:\n  x:\n    actions:\n      typed_name: {tier: []}\n",
			[]string{`config.yaml:6: contexts.x.actions.typed_name.tier: want tag: [values], got "tier": []`}},
		{"a top-level problem from a default, once", "drift:\n  window: 200h\ncontexts:\n  a:\n    drift:\n      method: psi\n  b: {}\n",
			[]string{`config.yaml:1: drift.reference.offset: must be at least drift.window (8d8h) so the reference does not overlap the current data, got 1w`}},
		{"the same problem written again in a context", "refresh: 0s\ncontexts:\n  x:\n    refresh: 0s\n",
			[]string{
				`config.yaml:1: refresh: must be at least 1s, got 0s`,
				`config.yaml:4: contexts.x.refresh: must be at least 1s, got 0s`,
			}},
		{"an unknown key in a context", "contexts:\n  x:\n    colour: red\n    contxts: {}\n",
			[]string{
				`config.yaml:3: contexts.x.colour: unknown key (did you mean "color"?)`,
				`config.yaml:4: contexts.x.contxts: unknown key (known: refresh, window, prometheus, scrape, mlflow, thresholds, alertmanager, drift, estimate, verdict, actions, audit, read_only, theme, data_quality, color)`,
			}},
		{"names equal but for case", "contexts:\n  prod: {}\n  Prod: {}\n  PROD: {}\n",
			[]string{
				`config.yaml:3: contexts.Prod: differs from context "prod" (line 2) only in case: their state files would be one file where case is ignored (macOS, Windows); name it otherwise`,
				`config.yaml:4: contexts.PROD: differs from context "prod" (line 2) only in case: their state files would be one file where case is ignored (macOS, Windows); name it otherwise`,
			}},
		{"color at the top level", "color: red\n",
			[]string{`config.yaml:1: color: unknown key (known: refresh, window, prometheus, scrape, mlflow, thresholds, alertmanager, drift, estimate, verdict, actions, audit, read_only, serve, theme, data_quality, current_context, contexts)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrs(t, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestContextColoursByConvention(t *testing.T) {
	for name, want := range map[string]string{
		"prod": "red", "prod-eu": "red", "eu.production": "red", "PRD_us": "red",
		"preprod": "", "staging": "", "product-lab": "", "dev": "",
	} {
		if got := config.ConventionalColor(name); got != want {
			t.Errorf("ConventionalColor(%q) = %q, want %q", name, got, want)
		}
	}
	c := mustParse(t, "contexts:\n  prod-eu:\n    color: blue\n  prod-us: {}\n", noEnv)
	if got := c.Contexts[0].Color; got != "blue" {
		t.Errorf("prod-eu with color: blue = %q", got)
	}
	if got := c.Contexts[1].Color; got != "red" {
		t.Errorf("prod-us = %q, want red by convention", got)
	}
	if got := config.ContextColorRGB("red"); !strings.HasPrefix(got, "#") || len(got) != 7 {
		t.Errorf("ContextColorRGB(red) = %q", got)
	}
}

func TestForContext(t *testing.T) {
	plain := mustParse(t, "refresh: 10s\n", noEnv)
	if got, err := plain.ForContext(""); err != nil || got != plain {
		t.Errorf(`no contexts, "": %v, %v; want the file itself`, got, err)
	}
	if _, err := plain.ForContext("prod"); err == nil || !strings.Contains(err.Error(), "no contexts in config.yaml") {
		t.Errorf("no contexts, prod: %v", err)
	}
	c := mustParse(t, twoContexts, noEnv)
	_, err := c.ForContext("prod")
	if err == nil || err.Error() != `unknown context "prod" in config.yaml (known: prod-eu, staging, dev)` {
		t.Errorf("unknown: %v", err)
	}
	// From a context's Config, every context is still reachable.
	if got := context(t, context(t, c, "dev"), "prod-eu"); got.ContextName != "prod-eu" {
		t.Errorf("prod-eu from dev = %q", got.ContextName)
	}
}

func TestContextFile(t *testing.T) {
	for path, want := range map[string]string{
		"/s/registry-history.jsonl": "/s/registry-history.eu.jsonl",
		"/s/history":                "/s/history.eu",
		"":                          "",
	} {
		if got := config.ContextFile(path, "eu"); got != want {
			t.Errorf("ContextFile(%q) = %q, want %q", path, got, want)
		}
	}
	c := mustParse(t, "audit:\n  registry_history: /s/rh.jsonl\ncontexts:\n  eu: {}\n  us:\n    audit:\n      registry_history: /t/us.jsonl\n", noEnv)
	if got := context(t, c, "eu").Audit.RegistryHistory; got != "/s/rh.eu.jsonl" {
		t.Errorf("eu history = %q, want the top level's named after eu", got)
	}
	if got := context(t, c, "us").Audit.RegistryHistory; got != "/t/us.jsonl" {
		t.Errorf("us history = %q, want its own as written", got)
	}
}

func TestContextWhereAndErrorf(t *testing.T) {
	c := mustParse(t, twoContexts, noEnv)
	prod := context(t, c, "prod-eu")
	if got := prod.Where("prometheus.url"); got != "config.yaml:17" {
		t.Errorf("Where = %q", got)
	}
	if got := prod.Errorf("prometheus.url", "bad").Error(); got != "config.yaml:17: contexts.prod-eu.prometheus.url: bad" {
		t.Errorf("Errorf = %q", got)
	}
	if got := prod.Errorf("prometheus.timeout", "bad").Error(); got != `config.yaml:3: prometheus.timeout: bad (in context "prod-eu")` {
		t.Errorf("Errorf on the top level's key = %q", got)
	}
}
