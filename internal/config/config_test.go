package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
)

// env returns a getenv over a fixed map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func mustParse(t *testing.T, src string, getenv func(string) string) *config.Config {
	t.Helper()
	c, err := config.ParseEnv("config.yaml", []byte(src), getenv)
	if err != nil {
		t.Fatalf("parse:\n%s\nerror: %v", src, err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := config.DefaultEnv(env(map[string]string{"HOME": "/home/ana"}))
	checks := []struct {
		name      string
		got, want any
	}{
		{"refresh", c.Refresh, 5 * time.Second},
		{"window", c.Window, time.Minute},
		{"prometheus.profile", c.Prometheus.Profile, []string{"mltop"}},
		{"prometheus.timeout", c.Prometheus.Timeout, 10 * time.Second},
		{"prometheus.backend", c.Prometheus.Backend, ""},
		{"scrape.interval", c.Scrape.Interval, 5 * time.Second},
		{"scrape.timeout", c.Scrape.Timeout, 5 * time.Second},
		{"mlflow.tracking_uri", c.MLflow.TrackingURI, ""},
		{"mlflow.serving_alias", c.MLflow.ServingAlias, "champion"},
		{"mlflow.candidate_alias", c.MLflow.CandidateAlias, "challenger"},
		{"mlflow.refresh", c.MLflow.Refresh, time.Minute},
		{"thresholds", c.Thresholds, config.Thresholds{ErrorRate: 0.05, LabelAge: 48 * time.Hour, QualityDrop: 0.05, MinLabels: 100, SilentShare: 0.1}},
		{"alertmanager.timeout", c.Alertmanager.Timeout, 10 * time.Second},
		{"drift.method", c.Drift.Method, "auto"},
		{"drift.window", c.Drift.Window, time.Hour},
		{"drift.share", c.Drift.Share, 0.5},
		{"drift.min_per_bucket", c.Drift.MinPerBucket, 100.0},
		{"drift.reference", c.Drift.Reference, config.Reference{Offset: 7 * 24 * time.Hour, Window: 24 * time.Hour}},
		{"actions.rollback.kind", c.Actions.Rollback.Kind, "mlflow-alias"},
		{"actions.rollback.timeout", c.Actions.Rollback.Timeout, config.DefaultActionTimeout},
		{"actions.retrain.kind", c.Actions.Retrain.Kind, ""},
		{"audit.path", c.Audit.Path, "/home/ana/.local/state/mltop/audit.jsonl"},
		{"read_only", c.ReadOnly, false},
		{"serve.listen", c.Serve.Listen, "127.0.0.1:2222"},
		{"serve.host_key", c.Serve.HostKey, "/home/ana/.local/state/mltop/ssh_host_ed25519"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestEmptyFilesGiveDefaults(t *testing.T) {
	getenv := env(map[string]string{"HOME": "/home/ana"})
	want := config.DefaultEnv(getenv)
	for _, src := range []string{"", "\n\n", "# nothing set yet\n", "---\n", "{}\n", "~\n", "prometheus:\nmlflow:\n"} {
		c := mustParse(t, src, getenv)
		// Compare the settings, not where they were read from.
		if !reflect.DeepEqual(exported(c), exported(want)) {
			t.Errorf("%q: got %+v, want the defaults %+v", src, exported(c), exported(want))
		}
	}
}

// exported copies the exported fields of a Config.
func exported(c *config.Config) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() {
			out[f.Name] = v.Field(i).Interface()
		}
	}
	return out
}

func TestScrapeTimeoutFollowsInterval(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want time.Duration
	}{
		{"scrape: {interval: 2s}", 2 * time.Second},
		{"scrape: {interval: 30s}", 10 * time.Second},
		{"scrape: {interval: 30s, timeout: 25s}", 25 * time.Second},
	} {
		if got := mustParse(t, tt.src, nil).Scrape.Timeout; got != tt.want {
			t.Errorf("%s: scrape.timeout = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30s":   30 * time.Second,
		"5m":    5 * time.Minute,
		"7d":    7 * 24 * time.Hour,
		"2w":    14 * 24 * time.Hour,
		"1h30m": 90 * time.Minute,
		"1.5h":  90 * time.Minute,
		"250ms": 250 * time.Millisecond,
		"1y":    365 * 24 * time.Hour,
	} {
		c := mustParse(t, "thresholds: {label_age: "+in+"}", nil)
		if c.Thresholds.LabelAge != want {
			t.Errorf("label_age %s = %v, want %v", in, c.Thresholds.LabelAge, want)
		}
	}
	for d, want := range map[time.Duration]string{
		time.Minute:             "1m",
		90 * time.Second:        "1m30s",
		time.Hour:               "1h",
		7 * 24 * time.Hour:      "1w",
		1500 * time.Millisecond: "1s500ms",
	} {
		if got := config.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPathsExpandHome(t *testing.T) {
	src := `
prometheus:
  bearer_token_file: ~/secrets/prom
  tls: {ca_file: /etc/ssl/ca.pem}
audit: {path: ~/audit.jsonl}
serve:
  host_key: ~
  users: [{name: ana, authorized_keys: ~/keys.pub}]
`
	c := mustParse(t, src, env(map[string]string{"HOME": "/home/ana"}))
	for _, p := range []struct{ got, want string }{
		{c.Prometheus.BearerTokenFile, "/home/ana/secrets/prom"},
		{c.Prometheus.TLS.CAFile, "/etc/ssl/ca.pem"},
		{c.Audit.Path, "/home/ana/audit.jsonl"},
		{c.Serve.Users[0].AuthorizedKeys, "/home/ana/keys.pub"},
		// "host_key: ~" is YAML's null, which keeps the default.
		{c.Serve.HostKey, "/home/ana/.local/state/mltop/ssh_host_ed25519"},
	} {
		if p.got != p.want {
			t.Errorf("path %q, want %q", p.got, p.want)
		}
	}
	if c.Serve.Users[0].Role != config.RoleViewer {
		t.Errorf("user role defaults to %q, want %q", c.Serve.Users[0].Role, config.RoleViewer)
	}
}

func TestTrackingURIFromEnvironment(t *testing.T) {
	fromEnv := env(map[string]string{"MLFLOW_TRACKING_URI": "http://mlflow.internal:5000"})
	if got := mustParse(t, "refresh: 5s", fromEnv).MLflow.TrackingURI; got != "http://mlflow.internal:5000" {
		t.Errorf("unset in file: tracking_uri = %q, want the environment's", got)
	}
	if got := mustParse(t, "mlflow: {tracking_uri: 'http://127.0.0.1:5000'}", fromEnv).MLflow.TrackingURI; got != "http://127.0.0.1:5000" {
		t.Errorf("set in file: tracking_uri = %q, want the file's", got)
	}
	if got := config.DefaultEnv(fromEnv).MLflow.TrackingURI; got != "http://mlflow.internal:5000" {
		t.Errorf("DefaultEnv: tracking_uri = %q, want the environment's", got)
	}
	if got := mustParse(t, "", nil).MLflow.TrackingURI; got != "" {
		t.Errorf("no environment: tracking_uri = %q, want empty", got)
	}
}

func TestSpecExample(t *testing.T) {
	c, err := config.LoadEnv(filepath.Join("testdata", "spec-example.yaml"), env(map[string]string{"HOME": "/home/ana"}))
	if err != nil {
		t.Fatalf("the SPEC example does not load:\n%v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"prometheus.url", c.Prometheus.URL, "http://127.0.0.1:9090"},
		{"prometheus.headers", c.Prometheus.Headers, map[string]string{"X-Scope-OrgID": "ml"}},
		{"prometheus.basic_auth", c.Prometheus.BasicAuth, config.BasicAuth{Username: "mltop", PasswordFile: "/run/secrets/prom-pass"}},
		{"prometheus.tls.insecure_skip_verify", c.Prometheus.TLS.InsecureSkipVerify, false},
		{"scrape.targets", c.Scrape.Targets, []string{"http://127.0.0.1:8000/metrics"}},
		{"mlflow.tracking_uri", c.MLflow.TrackingURI, "http://127.0.0.1:5000"},
		{"thresholds.label_age", c.Thresholds.LabelAge, 48 * time.Hour},
		{"drift.reference.offset", c.Drift.Reference.Offset, 7 * 24 * time.Hour},
		{"actions.retrain", c.Actions.Retrain.URL, "http://127.0.0.1:8080/retrain"},
		{"actions.custom", len(c.Actions.Custom), 0},
		{"audit.path", c.Audit.Path, "/home/ana/.local/state/mltop/audit.jsonl"},
		{"serve.users", c.Serve.Users, []config.User{
			{Name: "ana", Role: "operator", Keys: []string{"ssh-ed25519 AAAA..."}},
			{Name: "sre", Role: "viewer", AuthorizedKeys: "/etc/mltop/viewers.pub"},
		}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if w := c.Where("serve.users[1].authorized_keys"); w != "testdata/spec-example.yaml:31" {
		t.Errorf("Where = %q", w)
	}
}

func TestFullConfig(t *testing.T) {
	src := `
prometheus:
  url: https://mimir.example.com/prometheus
  profile: mltop
  timeout: 20s
  backend: mimir
  queries:
    latency_mean: ""
    request_rate: sum by (model, version) (rate(requests_total[{{window}}]))
drift:
  method: js
  window: &w 2h
  thresholds: {psi: 0.2, ks: 0.01}
  reference: {offset: *w, window: 6h}
actions:
  rollback: {kind: webhook, url: "http://deploy/rollback", headers: {X-Team: ml}, token_file: /run/t}
  retrain: {kind: github, repo: acme/models, workflow: retrain.yml}
  custom:
    - key: p
      title: Page the owner
      kind: webhook
      url: http://pager/page
      body: '{"model": "{{.Model}}"}'
      dangerous: true
      states: [warn, critical]
serve:
  max_sessions: 4
  idle_timeout: 15m
theme: light
read_only: true
`
	c := mustParse(t, src, nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"prometheus.profile", c.Prometheus.Profile, []string{"mltop"}},
		{"prometheus.timeout", c.Prometheus.Timeout, 20 * time.Second},
		{"drift.reference", c.Drift.Reference, config.Reference{Offset: 2 * time.Hour, Window: 6 * time.Hour}},
		{"drift.thresholds", c.Drift.Thresholds, map[string]float64{"psi": 0.2, "ks": 0.01}},
		{"actions.rollback", c.Actions.Rollback, config.Action{Kind: "webhook", URL: "http://deploy/rollback",
			Headers: map[string]string{"X-Team": "ml"}, TokenFile: "/run/t", Timeout: config.DefaultActionTimeout}},
		{"actions.retrain", c.Actions.Retrain, config.Action{Kind: "github", URL: "https://api.github.com", Timeout: config.DefaultActionTimeout,
			Params: &actions.GitHubParams{Repo: "acme/models", Workflow: "retrain.yml", Ref: "main"}}},
		{"actions.custom", c.Actions.Custom, []config.CustomAction{{
			Action: config.Action{Kind: "webhook", URL: "http://pager/page", Body: `{"model": "{{.Model}}"}`, Timeout: config.DefaultActionTimeout},
			Key:    "p", Title: "Page the owner", Role: config.RoleOperator, Dangerous: true, States: []string{"warn", "critical"},
		}}},
		{"serve", [2]any{c.Serve.MaxSessions, c.Serve.IdleTimeout}, [2]any{4, 15 * time.Minute}},
		{"theme", c.Theme, "light"},
		{"read_only", c.ReadOnly, true},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := config.Load(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a missing file: error %v does not name %s", err, path)
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("refresh: 5s\nwindow: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.LoadEnv(path, nil)
	if want := path + `:2: window: not a duration: "soon"`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// A tracking URI from the environment that names no tracking server
// (the MLflow client's databricks, file: and sqlite: backends) leaves the
// registry off with a warning; an http one is used; the file's wins.
func TestTrackingURIFromEnv(t *testing.T) {
	env := func(uri string) func(string) string {
		return func(k string) string {
			if k == "MLFLOW_TRACKING_URI" {
				return uri
			}
			return ""
		}
	}
	for _, uri := range []string{"databricks", "file:/tmp/mlruns", "sqlite:///mlflow.db", "127.0.0.1:5000"} {
		c, err := config.ParseEnv("c.yaml", nil, env(uri))
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if c.MLflow.TrackingURI != "" || len(c.Warnings()) != 1 || !strings.Contains(c.Warnings()[0], "the registry is off") {
			t.Errorf("%s: tracking URI %q, warnings %q", uri, c.MLflow.TrackingURI, c.Warnings())
		}
	}
	c, err := config.ParseEnv("c.yaml", nil, env("http://mlflow:5000"))
	if err != nil || c.MLflow.TrackingURI != "http://mlflow:5000" || len(c.Warnings()) != 0 {
		t.Errorf("http URI: %v, %q, %q", err, c.MLflow.TrackingURI, c.Warnings())
	}
	c, err = config.ParseEnv("c.yaml", []byte("mlflow:\n  tracking_uri: http://file-one:5000\n"), env("databricks"))
	if err != nil || c.MLflow.TrackingURI != "http://file-one:5000" || len(c.Warnings()) != 0 {
		t.Errorf("file's URI: %v, %q, %q", err, c.MLflow.TrackingURI, c.Warnings())
	}
}
