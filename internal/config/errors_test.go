package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// usedKeys is the list of mltop's own keys as a refused custom key's message gives it.
const usedKeys = `/ 1 2 3 4 : ? A F G M P R S T Y Z [ ] a c d g h j k l o q r s { }`

func noEnv(string) string { return "" }

// parseErrs parses src as config.yaml and returns the error lines.
func parseErrs(t *testing.T, src string) []string {
	t.Helper()
	c, err := config.ParseEnv("config.yaml", []byte(src), noEnv)
	if err == nil {
		t.Fatalf("no error for:\n%s\ngot config %+v", src, c)
	}
	if c != nil {
		t.Errorf("config returned alongside an error")
	}
	return strings.Split(err.Error(), "\n")
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"Latin-1 byte in a value", "refresh: 5s\n# comment\nprometheus:\n  url: http://a:9090\ntheme: d\xffark\n",
			[]string{`config.yaml:5: not UTF-8 text: byte 0xff at column 9 (save the file as UTF-8)`}},
		{"Latin-1 byte in a comment", "refresh: 5s\n\n# caf\xe9 au lait\nwindow: 2m\n",
			[]string{`config.yaml:3: not UTF-8 text: byte 0xe9 at column 6 (save the file as UTF-8)`}},
		{"UTF-8 before the stray byte counts as one column a character", "# héllo wörld \x80\n",
			[]string{`config.yaml:1: not UTF-8 text: byte 0x80 at column 15 (save the file as UTF-8)`}},
		{"unknown top-level key with suggestion", "refersh: 5s\n",
			[]string{`config.yaml:1: refersh: unknown key (did you mean "refresh"?)`}},
		{"unknown top-level key", "window: 2m\ncolour: red\n",
			[]string{`config.yaml:2: colour: unknown key (known: refresh, window, prometheus, scrape, mlflow, thresholds, alertmanager, drift, estimate, verdict, actions, audit, read_only, serve, theme, data_quality, current_context, contexts)`}},
		{"unknown nested key with suggestion", "refresh: 5s\nprometheus:\n  profil: mltop\n",
			[]string{`config.yaml:3: prometheus.profil: unknown key (did you mean "profile"?)`}},
		{"dash for underscore", "read-only: true\n",
			[]string{`config.yaml:1: read-only: unknown key (did you mean "read_only"?)`}},
		{"bad duration", "window: 1m\nrefresh: fast\n",
			[]string{`config.yaml:2: refresh: not a duration: "fast"`}},
		{"duration without unit", "refresh: 5\n",
			[]string{`config.yaml:1: refresh: not a duration: "5"`}},
		{"negative duration", "thresholds:\n  label_age: -1h\n",
			[]string{`config.yaml:2: thresholds.label_age: must not be negative, got -1h`}},
		{"refresh too short", "refresh: 100ms\n",
			[]string{`config.yaml:1: refresh: must be at least 1s, got 100ms`}},
		{"zero window", "window: 0s\n",
			[]string{`config.yaml:1: window: must be at least 1ms, got 0s`}},
		{"out-of-range ratio", "refresh: 5s\nwindow: 1m\nprometheus:\n  url: http://127.0.0.1:9090\nscrape:\n  interval: 5s\nthresholds: {error_rate: 5}\n",
			[]string{`config.yaml:7: thresholds.error_rate: must be between 0 and 1, got 5`}},
		{"answer limit of nothing", "prometheus:\n  max_answer_mib: 0\n",
			[]string{`config.yaml:2: prometheus.max_answer_mib: must be between 1 and 1048576 (MiB), got 0`}},
		{"negative drift share", "drift:\n  share: -0.1\n",
			[]string{`config.yaml:2: drift.share: must be between 0 and 1, got -0.1`}},
		{"negative minimum per bucket", "drift:\n  method: psi\n  min_per_bucket: -5\n",
			[]string{`config.yaml:3: drift.min_per_bucket: must be a number of observations, 0 or more (0 turns the minimum off), got -5`}},
		{"minimum per bucket not a number", "drift:\n  min_per_bucket: many\n",
			[]string{`config.yaml:2: drift.min_per_bucket: not a number: "many"`}},
		{"not a number", "thresholds:\n  quality_drop: lots\n",
			[]string{`config.yaml:2: thresholds.quality_drop: not a number: "lots"`}},
		{"not an integer", "thresholds:\n  min_labels: 1.5\n",
			[]string{`config.yaml:2: thresholds.min_labels: not an integer: "1.5"`}},
		{"not a boolean", "read_only: yes\n",
			[]string{`config.yaml:1: read_only: not a boolean (true or false): "yes"`}},
		{"bad URL scheme", "prometheus:\n  url: ftp://prom:9090\n",
			[]string{`config.yaml:2: prometheus.url: not an http or https URL: "ftp://prom:9090"`}},
		{"URL without scheme", "prometheus:\n  url: prom:9090\n",
			[]string{`config.yaml:2: prometheus.url: not an http or https URL: "prom:9090" (did you mean "http://prom:9090"?)`}},
		{"HOST:PORT without scheme", "prometheus:\n  url: 127.0.0.1:9090\n",
			[]string{`config.yaml:2: prometheus.url: not an http or https URL: "127.0.0.1:9090" (did you mean "http://127.0.0.1:9090"?)`}},
		{"bad target in list", "scrape:\n  targets:\n    - http://127.0.0.1:8000/metrics\n    - \"http://[::1\"\n",
			[]string{`config.yaml:4: scrape.targets[1]: not a URL: "http://[::1"`}},
		{"list where a map is expected", "prometheus:\n  headers: [X-Scope-OrgID, ml]\n",
			[]string{`config.yaml:2: prometheus.headers: expected a mapping, got a list`}},
		{"scalar where a section is expected", "mlflow: http://127.0.0.1:5000\n",
			[]string{`config.yaml:1: mlflow: expected a mapping, got "http://127.0.0.1:5000"`}},
		{"map where a string is expected", "theme: {name: dark}\n",
			[]string{`config.yaml:1: theme: expected a string, got a mapping`}},
		{"map where a list is expected", "scrape:\n  targets: {a: b}\n",
			[]string{`config.yaml:2: scrape.targets: expected a list, got a mapping`}},
		{"unknown profile", "prometheus:\n  profile: [mltop, trtion]\n",
			[]string{`config.yaml:2: prometheus.profile[1]: unknown profile "trtion" (did you mean "triton"? known: argo-rollouts, bentoml, flagger, kserve, mlserver, mltop, seldon-v2, torchserve, triton)`}},
		{"unknown profile as one name", "prometheus:\n  profile: mltp\n",
			[]string{`config.yaml:2: prometheus.profile: unknown profile "mltp" (did you mean "mltop"? known: argo-rollouts, bentoml, flagger, kserve, mlserver, mltop, seldon-v2, torchserve, triton)`}},
		{"unknown role in queries", "prometheus:\n  queries:\n    request_rate: sum(rate(x[5m]))\n    latency_p999: up\n",
			[]string{`config.yaml:4: prometheus.queries.latency_p999: unknown role (did you mean "latency_p99"?)`}},
		{"custom role in queries", "prometheus:\n  queries:\n    gpu_utilisation: up\n",
			[]string{`config.yaml:3: prometheus.queries.gpu_utilisation: unknown role (known: request_rate, error_ratio, latency_p50, latency_p95, latency_p99, latency_mean, performance, traffic_weight, rollout_info, rollout_step, rollout_steps, rollout_set_weight, labeled_fraction, label_delay_p50, label_delay_p95, label_age, drift_score, labels_in_window, feature_buckets, feature_buckets_reference, feature_categories, feature_categories_reference, warming_up, score_calibration, performance_estimate, verdict_counts, verdict_latency, analysis_run, analysis_metric, latency_buckets, requests_last_week, requests_hour_before, error_ratio_page, error_ratio_ticket, feature_missing, feature_missing_reference, profile)`}},
		{"invalid PromQL in an override", "window: 2m\nprometheus:\n  queries:\n    error_ratio: |\n      sum by (model) (rate(errors_total[{{window}}])\n",
			[]string{`config.yaml:4: prometheus.queries.error_ratio: invalid PromQL for role error_ratio: 2:1: parse error: unclosed left parenthesis`}},
		{"bad serve role", "serve:\n  users:\n    - {name: ana, role: operator, keys: [\"ssh-ed25519 AAAA\"]}\n    - {name: bob, role: admin, keys: [\"ssh-ed25519 BBBB\"]}\n",
			[]string{`config.yaml:4: serve.users[1].role: must be "viewer" or "operator", got "admin"`}},
		{"serve user without keys", "serve:\n  users:\n    - name: ana\n",
			[]string{`config.yaml:3: serve.users[0]: needs keys or authorized_keys`}},
		{"duplicate serve user", "serve:\n  users:\n    - {name: ana, keys: [\"ssh-ed25519 AAAA\"]}\n    - {name: ana, keys: [\"ssh-ed25519 BBBB\"]}\n",
			[]string{`config.yaml:4: serve.users[1].name: user "ana" is already defined at users[0]`}},
		{"bad listen address", "serve:\n  listen: localhost\n",
			[]string{`config.yaml:2: serve.listen: not a HOST:PORT address: "localhost"`}},
		{"YAML syntax error", "refresh: 5s\nprometheus:\n  url: [http://x\nwindow: 1m\n",
			[]string{`config.yaml:3: YAML syntax error: did not find expected ',' or ']'`}},
		{"tab indentation", "prometheus:\n\turl: http://x\n",
			[]string{`config.yaml:2: YAML syntax error: found character that cannot start any token`}},
		{"syntax error in a flow mapping", "refresh: 5s\nthresholds: {error_rate: 0.1\n",
			[]string{`config.yaml:2: YAML syntax error: did not find expected ',' or '}'`}},
		{"unclosed list at the end", "refresh: 5s\nwindow: [1m\n\n",
			[]string{`config.yaml:2: YAML syntax error: did not find expected ',' or ']'`}},
		{"unclosed list on the only line", "window: [1m\n",
			[]string{`config.yaml:1: YAML syntax error: did not find expected ',' or ']'`}},
		{"missing colon", "scrape:\n  targets:\n    - http://a/metrics\n  interval 5s\n",
			[]string{`config.yaml:4: YAML syntax error: could not find expected ':'`}},
		{"list item in a mapping", "scrape:\n  targets:\n    - http://a/metrics\n    interval: 5s\n",
			[]string{`config.yaml:3: YAML syntax error: did not find expected '-' indicator`}},
		{"unterminated string", "refresh: 5s\ntheme: \"dark\n",
			[]string{`config.yaml:2: YAML syntax error: found unexpected end of stream`}},
		{"unknown anchor", "refresh: 5s\nwindow: *w\n",
			[]string{`config.yaml: YAML syntax error: unknown anchor 'w' referenced`}},
		{"key set twice", "refresh: 5s\nwindow: 1m\nrefresh: 10s\n",
			[]string{`config.yaml:3: refresh: set twice (first at line 1)`}},
		{"top level is a list", "- refresh: 5s\n",
			[]string{`config.yaml:1: the file must be a mapping of keys (refresh:, prometheus:, ...), got a list`}},
		{"two documents", "refresh: 5s\n---\nwindow: 1m\n",
			[]string{`config.yaml:2: a config file holds one YAML document; found a second one`}},
		{"scrape timeout above interval", "scrape:\n  interval: 5s\n  timeout: 10s\n",
			[]string{`config.yaml:3: scrape.timeout: must not exceed scrape.interval (5s), got 10s`}},
		{"same aliases", "mlflow:\n  serving_alias: prod\n  candidate_alias: prod\n",
			[]string{`config.yaml:3: mlflow.candidate_alias: must differ from mlflow.serving_alias ("prod")`}},
		{"unknown drift method", "drift: {method: psy}\n",
			[]string{`config.yaml:1: drift.method: unknown method "psy" (did you mean "psi"?)`}},
		{"p-value threshold above 1", "drift:\n  thresholds: {psi: 0.2, ks: 5}\n",
			[]string{`config.yaml:2: drift.thresholds.ks: must be between 0 and 1, got 5`}},
		{"reference overlaps", "drift:\n  window: 2h\n  reference: {offset: 1h}\n",
			[]string{`config.yaml:3: drift.reference.offset: must be at least drift.window (2h) so the reference does not overlap the current data, got 1h`}},
		{"unknown rollback kind", "actions:\n  rollback: {kind: argo-rollouts}\n",
			[]string{`config.yaml:2: actions.rollback.kind: unknown kind "argo-rollouts" (known: mlflow-alias, mlflow-stage, webhook)`}},
		{"webhook without url", "actions:\n  retrain:\n    kind: webhook\n",
			[]string{`config.yaml:3: actions.retrain.url: is required for kind webhook`}},
		{"airflow without dag", "actions:\n  retrain: {kind: airflow, url: \"http://airflow:8080\"}\n",
			[]string{`config.yaml:2: actions.retrain.dag: is required for kind airflow`}},
		{"retrain without kind", "actions:\n  retrain:\n    url: http://127.0.0.1:8080/retrain\n",
			[]string{`config.yaml:2: actions.retrain.kind: is required (one of: airflow, argo-workflows, github, kubeflow, webhook)`}},
		{"github repo form", "actions:\n  retrain: {kind: github, repo: mltop, workflow: retrain.yml}\n",
			[]string{`config.yaml:2: actions.retrain.repo: want OWNER/NAME, got "mltop"`}},
		{"key of another kind", "actions:\n  retrain:\n    kind: webhook\n    url: http://h/r\n    dag: retrain\n",
			[]string{`config.yaml:5: actions.retrain.dag: is a key of kind airflow, not of webhook`}},
		{"kind's key before the kind", "actions:\n  retrain:\n    api_version: two\n    kind: airflow\n    url: http://airflow:8080\n    dag: retrain\n",
			[]string{`config.yaml:3: actions.retrain.api_version: not an integer: "two"`}},
		{"kind's key misspelt", "actions:\n  custom:\n    - {key: b, title: Build, kind: github, repo: acme/m, worklfow: ci.yml}\n",
			[]string{`config.yaml:3: actions.custom[0].worklfow: unknown key (did you mean "workflow"?)`,
				`config.yaml:3: actions.custom[0].workflow: is required for kind github`}},
		{"airflow api version", "actions:\n  retrain: {kind: airflow, url: \"http://airflow:8080\", dag: d, api_version: 3}\n",
			[]string{`config.yaml:2: actions.retrain.api_version: must be 1 or 2 (Airflow 3), got 3`}},
		{"kind not for rollback", "actions:\n  rollback: {kind: airflow, url: \"http://airflow:8080\", dag: d}\n",
			[]string{`config.yaml:2: actions.rollback.kind: unknown kind "airflow" (known: mlflow-alias, mlflow-stage, webhook)`}},
		{"custom key clash", "actions:\n  custom:\n    - {key: x, title: Restart, kind: webhook, url: \"http://h/r\"}\n    - {key: x, title: Reload, kind: webhook, url: \"http://h/l\"}\n",
			[]string{`config.yaml:4: actions.custom[1].key: "x" is already bound by actions.custom[0]`}},
		{"custom keys shadowing built-in keys", "actions:\n  custom:\n    - {key: q, title: Quiesce, kind: webhook, url: \"http://h/q\"}\n    - {key: R, title: Restart, kind: webhook, url: \"http://h/r\"}\n" +
			"    - {key: /, title: Slash, kind: webhook, url: \"http://h/s\"}\n    - {key: j, title: Jump, kind: webhook, url: \"http://h/j\"}\n",
			[]string{`config.yaml:3: actions.custom[0].key: "q" is mltop's own key for quit / back; pick one mltop does not use (it uses ` + usedKeys + `)`,
				`config.yaml:4: actions.custom[1].key: "R" is mltop's own key for roll back; pick one mltop does not use (it uses ` + usedKeys + `)`,
				`config.yaml:5: actions.custom[2].key: "/" is mltop's own key for filter; pick one mltop does not use (it uses ` + usedKeys + `)`,
				`config.yaml:6: actions.custom[3].key: "j" is mltop's own key for down; pick one mltop does not use (it uses ` + usedKeys + `)`}},
		{"rollout keys are mltop's own once a rollout is configured", "actions:\n  rollout: {kind: argo-rollouts, kubernetes: {server: \"https://k8s:6443\", token_file: /t}}\n  custom:\n    - {key: P, title: Page, kind: webhook, url: \"http://h/p\"}\n",
			[]string{`config.yaml:4: actions.custom[0].key: "P" is mltop's own key for promote the rollout; pick one mltop does not use (it uses ` + usedKeys + `)`}},
		{"M is mltop's own once an Alertmanager is configured", "alertmanager: {url: \"http://am:9093\"}\nactions:\n  custom:\n    - {key: M, title: Mute, kind: webhook, url: \"http://h/m\"}\n",
			[]string{`config.yaml:4: actions.custom[0].key: "M" is mltop's own key for silence the model's alerts; pick one mltop does not use (it uses ` + usedKeys + `)`}},
		{"custom key too long", "actions:\n  custom:\n    - {key: rr, title: Restart, kind: webhook, url: \"http://h/r\"}\n",
			[]string{`config.yaml:3: actions.custom[0].key: must be one printable character, got "rr"`}},
		{"custom unknown state", "actions:\n  custom:\n    - key: x\n      title: Page owner\n      kind: webhook\n      url: http://h/page\n      states: [critical, red]\n",
			[]string{`config.yaml:7: actions.custom[0].states[1]: unknown state "red" (known: ok, warn, critical, unknown)`}},
		{"bad header name", "prometheus:\n  headers:\n    \"X Org\": ml\n",
			[]string{`config.yaml:3: prometheus.headers.X Org: not a valid HTTP header name`}},
		{"half of basic auth", "prometheus:\n  basic_auth: {username: mltop}\n",
			[]string{`config.yaml:2: prometheus.basic_auth.password_file: is required with username`}},
		{"unknown theme", "refresh: 5s\ntheme: solarized\n",
			[]string{`config.yaml:2: theme: unknown theme "solarized" (known: auto, no-color, colorblind, dark, high-contrast, light)`}},
		{"misspelt theme", "theme: high-contrst\n",
			[]string{`config.yaml:1: theme: unknown theme "high-contrst" (did you mean "high-contrast"?)`}},
		{"unknown backend", "prometheus:\n  backend: victoria-metrics\n",
			[]string{`config.yaml:2: prometheus.backend: unknown backend "victoria-metrics" (did you mean "victoriametrics"?)`}},
		{"merge keys", "scrape: &s\n  interval: 5s\nprometheus:\n  <<: *s\n",
			[]string{`config.yaml:4: prometheus: merge keys (<<) are not supported`}},
		{"list where a duration is expected", "refresh: [5s]\n",
			[]string{`config.yaml:1: refresh: not a duration: a list`}},
		{"empty alias", "mlflow: {serving_alias: \"\"}\n",
			[]string{`config.yaml:1: mlflow.serving_alias: must not be empty`}},
		{"URL without host", "mlflow:\n  tracking_uri: http:///api\n",
			[]string{`config.yaml:2: mlflow.tracking_uri: URL has no host: "http:///api"`}},
		{"port not a number", "serve: {listen: \"127.0.0.1:ssh\"}\n",
			[]string{`config.yaml:1: serve.listen: not a port number: "ssh"`}},
		{"certificate without key", "prometheus:\n  tls:\n    cert_file: /etc/mltop/client.pem\n",
			[]string{`config.yaml:3: prometheus.tls.key_file: is required with cert_file`}},
		{"every problem, in file order", "prometheus:\n  url: nope\n  profil: x\nrefresh: fast\nthresholds:\n  error_rate: 2\n",
			[]string{
				`config.yaml:2: prometheus.url: not an http or https URL: "nope"`,
				`config.yaml:3: prometheus.profil: unknown key (did you mean "profile"?)`,
				`config.yaml:4: refresh: not a duration: "fast"`,
				`config.yaml:6: thresholds.error_rate: must be between 0 and 1, got 2`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrs(t, tt.src)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestErrorsCarryPositions(t *testing.T) {
	_, err := config.ParseEnv("/etc/mltop.yaml", []byte("refresh: 5s\nserve:\n  max_sessions: -1\n"), noEnv)
	var e *config.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v does not unwrap to *config.Error", err)
	}
	want := config.Error{File: "/etc/mltop.yaml", Line: 3, Key: "serve.max_sessions", Msg: "must not be negative, got -1"}
	if *e != want {
		t.Errorf("got %+v, want %+v", *e, want)
	}
	var es config.Errors
	if !errors.As(err, &es) || len(es) != 1 {
		t.Errorf("error %v is not a one-item config.Errors", err)
	}
}

func TestWhereAndErrorf(t *testing.T) {
	c, err := config.ParseEnv("c.yaml", []byte("refresh: 5s\n\ntheme: light\nserve:\n  users:\n    - name: ana\n      keys: [\"ssh-ed25519 AAAA\"]\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"theme":                "c.yaml:3",
		"serve.users[0].name":  "c.yaml:6",
		"serve.users[0].role":  "c.yaml:6", // not written: its item's line
		"serve.users[0].keys":  "c.yaml:7",
		"prometheus.url":       "c.yaml", // not written at all
		"serve.users[3].name":  "c.yaml:5",
		"drift.reference.days": "c.yaml",
	} {
		if got := c.Where(key); got != want {
			t.Errorf("Where(%q) = %q, want %q", key, got, want)
		}
	}
	got := c.Errorf("theme", "not for this terminal: %q", c.Theme).Error()
	if want := `c.yaml:3: theme: not for this terminal: "light"`; got != want {
		t.Errorf("Errorf = %q, want %q", got, want)
	}
	if w := config.DefaultEnv(noEnv).Where("theme"); w != "" {
		t.Errorf("Where on a config not read from a file = %q, want empty", w)
	}
}

func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("x: &k [" + strings.Repeat(`"ssh-ed25519 AAAA", `, 1000) + "]\n")
	b.WriteString("y: &m {name: a, keys: *k}\n")
	b.WriteString("serve:\n  users: [" + strings.Repeat("*m, ", 1000) + "]\n")
	got := parseErrs(t, b.String())
	want := []string{
		`config.yaml:1: x: unknown key (known: refresh, window, prometheus, scrape, mlflow, thresholds, alertmanager, drift, estimate, verdict, actions, audit, read_only, serve, theme, data_quality, current_context, contexts)`,
		`config.yaml:1: serve.users[99].keys[696]: too many values: aliases expand the file beyond 100000 values`,
		`config.yaml:2: y: unknown key (known: refresh, window, prometheus, scrape, mlflow, thresholds, alertmanager, drift, estimate, verdict, actions, audit, read_only, serve, theme, data_quality, current_context, contexts)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n got %q\nwant %q", got[:min(len(got), 5)], want)
	}
}

func TestProblemsAreCapped(t *testing.T) {
	src := "scrape:\n  targets: [" + strings.Repeat("ftp://x, ", 500) + "]\n"
	got := parseErrs(t, src)
	if len(got) != 101 || got[100] != "config.yaml: too many problems; fix these first" {
		t.Errorf("%d lines, last %q; want 100 problems and a note", len(got), got[len(got)-1])
	}
}

// Without actions.rollout the rollout verbs' keys stay free: a config
// that bound one to a custom action before the verbs existed still loads.
func TestRolloutKeysFreeWithoutRollout(t *testing.T) {
	c, err := config.ParseEnv("config.yaml", []byte("actions:\n  custom:\n    - {key: P, title: Page, kind: webhook, url: \"http://h/p\"}\n"), noEnv)
	if err != nil || len(c.Actions.Custom) != 1 || c.Actions.Custom[0].Key != "P" {
		t.Errorf("a custom action on P without actions.rollout: %v", err)
	}
}
