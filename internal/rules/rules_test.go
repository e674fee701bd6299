package rules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mltop/mltop/internal/actions" // the config names action kinds
	"github.com/mltop/mltop/internal/config"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden rule files")

// variants are the configs every rule file test runs over.
func variants(t *testing.T) map[string]*config.Config {
	t.Helper()
	out := map[string]*config.Config{"default": config.Default()}
	for _, p := range config.KnownProfiles() {
		c := config.Default()
		c.Prometheus.Profile = []string{p}
		c.Thresholds.LatencyP95 = 250 * time.Millisecond
		c.Thresholds.Availability = 0.999
		out["all-"+p] = c
	}
	// Profiles combined: every rule reads both exporters' metrics.
	both := config.Default()
	both.Prometheus.Profile = []string{"mltop", "mlserver"}
	both.Thresholds.LatencyP95 = 250 * time.Millisecond
	both.Thresholds.Availability = 0.999
	out["mltop+mlserver"] = both
	off := config.Default()
	off.Thresholds = config.Thresholds{} // every check off
	out["off"] = off
	over := config.Default()
	over.Thresholds.Availability = 0.99
	over.Prometheus.Queries = map[string]string{
		"error_ratio":  `sum by (model, version) (rate(http_errors_total[5m])) / sum by (model, version) (rate(http_requests_total[5m]))`,
		"request_rate": `sum by (model, version) (rate(http_requests_total[5m]))`,
		"drift_score":  "",
	}
	over.Window = 2 * time.Hour
	out["fixed-windows"] = over
	return out
}

func render(t *testing.T, cfg *config.Config) []byte {
	t.Helper()
	f, err := Generate(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The rule files of the default config, of every check on with the mltop
// profile, and of KServe's profile (no error ratio, no quality) are the
// golden files; go test ./internal/rules -update rewrites them.
func TestGolden(t *testing.T) {
	vs := variants(t)
	for _, name := range []string{"default", "all-mltop", "all-kserve", "fixed-windows", "mltop+mlserver"} {
		t.Run(name, func(t *testing.T) {
			got := render(t, vs[name])
			path := filepath.Join("testdata", "golden", name+".yaml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./internal/rules -update writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test ./internal/rules -update, then read the diff):\n%s", name, path, got)
			}
		})
	}
}

// Every variant, every profile among them, passes promtool check rules.
func TestPromtoolCheck(t *testing.T) {
	for name, cfg := range variants(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeRules(t, cfg, dir)
			promtool(t, dir, "check", "rules", "rules.yaml")
		})
	}
}

// A role the profile lacks leaves its rules out with a comment naming the
// role; a check turned off says which key turned it off.
func TestLeftOutSaysWhy(t *testing.T) {
	vs := variants(t)
	kserve := string(render(t, vs["all-kserve"]))
	for _, want := range []string{
		"# MLTopErrorRatioHigh left out: no query fills role error_ratio",
		"# MLTopErrorBudgetBurn left out: no query fills role error_ratio",
		"# MLTopQualityDrop left out: no query fills role performance",
		"# MLTopRolloutFailed left out: no query fills role rollout_info",
	} {
		if !strings.Contains(kserve, want) {
			t.Errorf("kserve's rules lack %q", want)
		}
	}
	if !strings.Contains(kserve, "alert: MLTopLatencySLOBreached") {
		t.Error("kserve has a latency histogram: its latency rule is missing")
	}
	triton := string(render(t, vs["all-triton"]))
	if !strings.Contains(triton, "# MLTopLatencySLOBreached left out: no query fills role latency_p95") {
		t.Error("triton has no latency histogram: its latency rule should be left out, saying why")
	}
	off := string(render(t, vs["off"]))
	// Drift and rollout have no threshold key to turn them off.
	if alerts := regexp.MustCompile(`- alert: (\w+)`).FindAllStringSubmatch(off, -1); len(alerts) != 2 || alerts[0][1] != AlertDrift || alerts[1][1] != AlertRollout {
		t.Errorf("with every threshold off, rules remain: %v", alerts)
	}
	for _, key := range []string{"error_rate", "latency_p95", "silent_share", "availability", "quality_drop", "label_age"} {
		if !strings.Contains(off, "thresholds."+key+" is 0 (off)") {
			t.Errorf("with thresholds.%s at 0 the file does not say so", key)
		}
	}
	fixed := string(render(t, vs["fixed-windows"]))
	for _, want := range []string{
		"# MLTopModelSilent (critical) left out: window is 2h, not shorter than the hour",
		"# MLTopErrorBudgetBurn left out: role error_ratio does not use {{window}}",
		"# MLTopFeatureDrift left out: no query fills role drift_score",
	} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fixed-window overrides: no %q in\n%s", want, fixed)
		}
	}
}

// The PrometheusRule holds the same groups as the plain file.
func TestPrometheusRuleSameGroups(t *testing.T) {
	for name, cfg := range variants(t) {
		f, err := Generate(cfg, Options{Interval: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var plain, kube bytes.Buffer
		if err := f.WriteYAML(&plain); err != nil {
			t.Fatal(err)
		}
		meta := KubeMeta{Name: "mltop", Namespace: "monitoring", Labels: map[string]string{"release": "kube-prometheus-stack", "app.kubernetes.io/name": "mltop"}}
		if err := f.WritePrometheusRule(&kube, meta); err != nil {
			t.Fatal(err)
		}
		var p struct {
			Groups []map[string]any `yaml:"groups"`
		}
		var k struct {
			APIVersion string `yaml:"apiVersion"`
			Kind       string `yaml:"kind"`
			Metadata   struct {
				Name, Namespace string
				Labels          map[string]string
			} `yaml:"metadata"`
			Spec struct {
				Groups []map[string]any `yaml:"groups"`
			} `yaml:"spec"`
		}
		if err := yaml.Unmarshal(plain.Bytes(), &p); err != nil {
			t.Fatalf("%s: plain file: %v", name, err)
		}
		if err := yaml.Unmarshal(kube.Bytes(), &k); err != nil {
			t.Fatalf("%s: PrometheusRule: %v", name, err)
		}
		if k.APIVersion != "monitoring.coreos.com/v1" || k.Kind != "PrometheusRule" || k.Metadata.Name != "mltop" || k.Metadata.Namespace != "monitoring" || k.Metadata.Labels["release"] != "kube-prometheus-stack" {
			t.Errorf("%s: object header %+v", name, k)
		}
		if len(p.Groups) != 1 || p.Groups[0]["interval"] != "30s" {
			t.Errorf("%s: groups %v", name, p.Groups)
		}
		pg, _ := yaml.Marshal(p.Groups)
		kg, _ := yaml.Marshal(k.Spec.Groups)
		if !bytes.Equal(pg, kg) {
			t.Errorf("%s: PrometheusRule groups differ from the rule file's:\n%s\nvs\n%s", name, kg, pg)
		}
	}
}

// Every alert and severity the unit-test config generates fires in some
// case of testdata/unit/tests.yaml, and every alert has a case where it
// must not fire: a new rule without unit tests fails here.
func TestUnitTestsCoverEveryRule(t *testing.T) {
	cfg, err := config.Load(filepath.Join("testdata", "unit", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Generate(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "unit", "tests.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string `yaml:"alertname"`
				ExpAlerts []struct {
					ExpLabels map[string]string `yaml:"exp_labels"`
				} `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(raw, &suite); err != nil {
		t.Fatal(err)
	}
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range suite.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) == 0 {
				quiet[a.Alertname] = true
			}
			for _, e := range a.ExpAlerts {
				fires[a.Alertname+"/"+e.ExpLabels["severity"]] = true
			}
		}
	}
	n := 0
	for _, r := range f.Groups[0].Rules {
		if r.LeftOut != "" {
			t.Errorf("the unit-test config leaves %s out (%s): test every rule", r.Alert, r.LeftOut)
			continue
		}
		n++
		if key := r.Alert + "/" + r.Labels["severity"]; !fires[key] {
			t.Errorf("no unit test sees %s fire", key)
		}
		if !quiet[r.Alert] {
			t.Errorf("no unit test expects %s not to fire", r.Alert)
		}
	}
	if n < 12 {
		t.Errorf("only %d rules generated", n)
	}
}

func TestLeRegex(t *testing.T) {
	cases := map[float64][]string{
		0.5:  {"0.5", "0.50", "0.500"},
		1:    {"1", "1.0", "1.00"},
		0.25: {"0.25", "0.250"},
		2.5:  {"2.5"},
	}
	not := map[float64][]string{
		0.5:  {"0.05", "5", "0.51", "10.5"},
		1:    {"10", "0.1", "1.5", "11"},
		0.25: {"0.025", "0.2"},
		2.5:  {"2.55", "25"},
	}
	for v, yes := range cases {
		re := regexp.MustCompile("^(?:" + leRegex(v) + ")$")
		for _, s := range yes {
			if !re.MatchString(s) {
				t.Errorf("le regex for %g does not match %q", v, s)
			}
		}
		for _, s := range not[v] {
			if re.MatchString(s) {
				t.Errorf("le regex for %g matches %q", v, s)
			}
		}
	}
}

func TestShiftedAndHistogram(t *testing.T) {
	got, err := shifted(`sum(rate(a[5m])) / sum(rate(b[5m] offset 1h))`, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := `sum(rate(a[5m] offset 1w)) / sum(rate(b[5m] offset 7d1h))`; got != want {
		t.Errorf("shifted = %s, want %s", got, want)
	}
	h, ok := histogramOf(`(histogram_quantile(0.95, sum by (le) (rate(x_bucket[1m]))))`)
	if !ok || h != `sum by (le) (rate(x_bucket[1m]))` {
		t.Errorf("histogramOf = %q, %v", h, ok)
	}
	if _, ok := histogramOf(`sum(rate(x_sum[1m])) / sum(rate(x_count[1m]))`); ok {
		t.Error("a mean is not a histogram quantile")
	}
}

// Text with a control character is written as a double-quoted scalar that
// reads back the same; everything else single-quoted or plain.
func TestQuoteReadsBack(t *testing.T) {
	for _, s := range []string{"plain", "yes", "a 'b' \"c\"", "tab\there", "line\nbreak", "{{ $value }}: # not a comment", "", "✓ ≥"} {
		var got string
		if err := yaml.Unmarshal([]byte("k: "+quote(s)), &struct{ K *string }{&got}); err != nil {
			t.Errorf("quote(%q) = %s: %v", s, quote(s), err)
			continue
		}
		if got != s {
			t.Errorf("quote(%q) = %s reads back as %q", s, quote(s), got)
		}
	}
	if !slices.Contains([]string{"plain"}, quote("plain")) {
		t.Error("a plain word is quoted")
	}
}

// Every alert name is in docs/alerting.md's table, with each severity it
// can have: the names are an interface (routes, inhibitions, silences).
func TestAlertsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "alerting.md"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Thresholds.LatencyP95, cfg.Thresholds.Availability = time.Second, 0.99
	f, err := Generate(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Groups[0].Rules {
		row := "| `" + r.Alert + "` | " + r.Labels["severity"] + " | " + r.For + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/alerting.md has no row starting %q", row)
		}
	}
}
