package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/internal/testenv"
	"go.yaml.in/yaml/v3"
)

func runRules(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(append([]string{"rules"}, args...), &o, &e)
	return code, o.String(), e.String()
}

// mltop rules prints a rule file from the config's thresholds; --output
// writes the same to a file that promtool accepts.
func TestRulesCommand(t *testing.T) {
	dir := isolate(t)
	cfg := filepath.Join(dir, "mltop.yaml")
	if err := os.WriteFile(cfg, []byte("thresholds:\n  error_rate: 0.02\n  latency_p95: 300ms\n  availability: 0.995\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runRules(t, "--config", cfg)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var file struct {
		Groups []struct {
			Name, Interval string
			Rules          []struct {
				Alert  string
				Expr   string
				Labels map[string]string
			}
		}
	}
	if err := yaml.Unmarshal([]byte(out), &file); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, out)
	}
	if len(file.Groups) != 1 || file.Groups[0].Interval != "1m" {
		t.Fatalf("groups: %+v", file.Groups)
	}
	seen := map[string]bool{}
	for _, r := range file.Groups[0].Rules {
		seen[r.Alert+"/"+r.Labels["severity"]] = true
		if r.Alert == "MLTopErrorRatioHigh" && r.Labels["severity"] == "critical" && !strings.HasSuffix(r.Expr, ">=\n  0.02") {
			t.Errorf("the error ratio rule does not use thresholds.error_rate 0.02:\n%s", r.Expr)
		}
	}
	for _, want := range []string{"MLTopErrorRatioHigh/critical", "MLTopErrorRatioHigh/warning", "MLTopLatencySLOBreached/warning",
		"MLTopModelSilent/warning", "MLTopModelSilent/critical", "MLTopErrorBudgetBurn/critical", "MLTopErrorBudgetBurn/warning",
		"MLTopQualityDrop/critical", "MLTopQualityDrop/warning", "MLTopLabelsOld/warning", "MLTopFeatureDrift/warning", "MLTopRolloutFailed/critical"} {
		if !seen[want] {
			t.Errorf("no rule %s in\n%s", want, out)
		}
	}

	path := filepath.Join(dir, "rules", "mltop.rules.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, o, e := runRules(t, "--config", cfg, "--output", path, "--interval", "15s"); code != exitOK || o != "" || e != "" {
		t.Fatalf("--output: exit %d, stdout %q, stderr %q", code, o, e)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(out, "interval: 1m", "interval: 15s", 1); string(written) != want {
		t.Errorf("--output wrote something else than stdout:\n%s", written)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the atomic write left files behind: %v", entries)
	}
	promtool(t, filepath.Dir(path), "check", "rules", filepath.Base(path))
}

func promtool(t *testing.T, dir string, args ...string) {
	t.Helper()
	bin := testenv.LookBinary(t, "promtool")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool %v: %v\n%s", args, err, out)
	}
}

// --format prometheusrule wraps the same groups in a PrometheusRule named
// and labelled by the flags.
func TestRulesPrometheusRule(t *testing.T) {
	isolate(t)
	code, plain, _ := runRules(t)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	code, kube, errs := runRules(t, "--format", "prometheusrule", "--name", "ml-alerts", "--namespace", "monitoring", "--label", "release=kube-prometheus-stack", "--label", "team=ml")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var p struct{ Groups []any }
	var k struct {
		Kind     string
		Metadata struct {
			Name, Namespace string
			Labels          map[string]string
		}
		Spec struct{ Groups []any }
	}
	if err := yaml.Unmarshal([]byte(plain), &p); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(kube), &k); err != nil {
		t.Fatal(err)
	}
	if k.Kind != "PrometheusRule" || k.Metadata.Name != "ml-alerts" || k.Metadata.Namespace != "monitoring" ||
		k.Metadata.Labels["release"] != "kube-prometheus-stack" || k.Metadata.Labels["team"] != "ml" {
		t.Errorf("object: %+v", k)
	}
	pg, _ := yaml.Marshal(p.Groups)
	kg, _ := yaml.Marshal(k.Spec.Groups)
	if !bytes.Equal(pg, kg) || len(p.Groups) == 0 {
		t.Errorf("groups differ:\n%s\nvs\n%s", kg, pg)
	}
}

// Without a config file the rules use the defaults and say so; a bad
// config or bad usage is exit 2 with the reason.
func TestRulesErrors(t *testing.T) {
	dir := isolate(t)
	code, out, errs := runRules(t)
	if code != exitOK || !strings.Contains(errs, "no config file") || !strings.Contains(out, "MLTopErrorRatioHigh") {
		t.Errorf("no config: exit %d, stderr %q", code, errs)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("thresholds:\n  error_rate: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", bad}, "bad.yaml:2: thresholds.error_rate"},
		{[]string{"--config", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"--format", "json"}, "--format must be prometheus or prometheusrule"},
		{[]string{"--interval", "10ms"}, "--interval must be at least 1s"},
		{[]string{"--for-scale", "0"}, "--for-scale must be above 0 and at most 10, got 0"},
		{[]string{"--for-scale", "60"}, "--for-scale must be above 0 and at most 10, got 60"},
		{[]string{"--for-scale", "NaN"}, "--for-scale must be above 0"},
		{[]string{"--label", "novalue"}, "want KEY=VALUE"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--format", "prometheusrule", "--name", "My Rules"}, "is not a Kubernetes object name"},
		{[]string{"--format", "prometheusrule", "--namespace", "mon.itoring"}, "is not a Kubernetes namespace"},
		{[]string{"--output", filepath.Join(dir, "no", "such", "dir", "r.yaml")}, "writing"},
		{[]string{"--recording", "--interval", "30s"}, "--interval applies to the alerting rules; the recording rules are evaluated every 15s"},
		{[]string{"--recording", "--for-scale", "0.5"}, "--for-scale applies to the alerting rules"},
	} {
		code, out, errs := runRules(t, c.args...)
		if code != exitFailure || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("mltop rules %v: exit %d, stdout %q, stderr %q (want exit 2 and %q)", c.args, code, out, errs, c.want)
		}
	}
}

// --recording prints the recording rules the config implies, which
// promtool accepts, and the same groups as a PrometheusRule.
func TestRulesRecording(t *testing.T) {
	dir := isolate(t)
	cfgPath := filepath.Join(dir, "mltop.yaml")
	if err := os.WriteFile(cfgPath, []byte("window: 2m\nthresholds:\n  latency_p95: 300ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runRules(t, "--config", cfgPath, "--recording", "--output", filepath.Join(dir, "rec.yml"))
	if code != exitOK || out != "" || errs != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	written, err := os.ReadFile(filepath.Join(dir, "rec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := recording.RuleFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, want) || !strings.Contains(string(written), "model_version:model_predictions:rate2m") ||
		!strings.Contains(string(written), "role latency_buckets") {
		t.Errorf("mltop rules --recording wrote:\n%s\nwant recording.RuleFile's, at window 2m with the latency objective on:\n%s", written, want)
	}
	promtool(t, dir, "check", "rules", "rec.yml")

	code, kube, errs := runRules(t, "--config", cfgPath, "--recording", "--format", "prometheusrule", "--name", "ml-rec", "--namespace", "monitoring")
	if code != exitOK {
		t.Fatalf("prometheusrule: exit %d: %s", code, errs)
	}
	var p struct{ Groups []any }
	var k struct {
		Kind     string
		Metadata struct{ Name, Namespace string }
		Spec     struct{ Groups []any }
	}
	if err := yaml.Unmarshal(written, &p); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(kube), &k); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, kube)
	}
	pg, _ := yaml.Marshal(p.Groups)
	kg, _ := yaml.Marshal(k.Spec.Groups)
	if k.Kind != "PrometheusRule" || k.Metadata.Name != "ml-rec" || k.Metadata.Namespace != "monitoring" || !bytes.Equal(pg, kg) || len(p.Groups) != 1 {
		t.Errorf("PrometheusRule %+v; groups:\n%s\nwant:\n%s", k.Metadata, kg, pg)
	}
}
