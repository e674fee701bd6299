package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/auditreport"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/registryhistory"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/mlflow"
)

// gaugeHistory is OpenMetrics text of gauges sampled every minute over
// [from, to): value(at) gives each sample, NaN for none.
func gaugeHistory(b *strings.Builder, name, labels string, from, to time.Time, value func(time.Time) float64) {
	for at := from; at.Before(to); at = at.Add(time.Minute) {
		if v := value(at); !math.IsNaN(v) {
			fmt.Fprintf(b, "%s{%s} %g %d\n", name, labels, v, at.Unix())
		}
	}
}

// between is high in [from, to), low elsewhere.
func between(from, to time.Time, high, low float64) func(time.Time) float64 {
	return func(at time.Time) float64 {
		if !at.Before(from) && at.Before(to) {
			return high
		}
		return low
	}
}

// TestReportFromARealPrometheus: three hours of history in a real
// Prometheus (counters from a linear exporter backfilled by promtool, an
// MLTop alert's ALERTS series, a drift score and a quality gauge), mltop's
// alerting rules loaded, a real audit log and registry history, and the
// demo's MLflow-compatible registry for the baseline: the report finds
// each episode where it was, the version's serving from the traffic, and
// lets no control byte from a hostile name through.
func TestReportFromARealPrometheus(t *testing.T) {
	dir := isolate(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f, err := demo.Start(ctx, demo.Options{Seed: 1, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name, version, metric, baseline := demoBaseline(t, ctx, f.RegistryURL())

	now := time.Now().Truncate(time.Minute)
	from := now.Add(-3 * time.Hour)
	mv := fmt.Sprintf(`model=%q,version=%q`, name, version)
	var om strings.Builder
	om.WriteString("# TYPE ALERTS gauge\n")
	gaugeHistory(&om, "ALERTS", `alertname="MLTopErrorRatioHigh",alertstate="firing",severity="critical",`+mv,
		now.Add(-150*time.Minute), now.Add(-120*time.Minute), func(time.Time) float64 { return 1 })
	om.WriteString("# TYPE model_drift_score gauge\n")
	gaugeHistory(&om, "model_drift_score", mv+`,feature="tenure",method="psi"`, from, now,
		between(now.Add(-100*time.Minute), now.Add(-80*time.Minute), 0.31, 0.04))
	om.WriteString("# TYPE model_performance gauge\n")
	gaugeHistory(&om, "model_performance", mv+fmt.Sprintf(`,metric=%q`, metric), from, now,
		between(now.Add(-60*time.Minute), now.Add(-40*time.Minute), baseline-0.08, baseline))
	om.WriteString("# EOF\n")

	rulesPath := filepath.Join(dir, "mltop.rules.yml")
	if code, out, errs := runArgs(t, "rules", "--config", writeConfig(t, "prometheus: {url: http://127.0.0.1:1}\n"), "--output", rulesPath); code != exitOK {
		t.Fatalf("mltop rules: exit %d\n%s%s", code, out, errs)
	}
	// 10 % of requests fail on the version: over the 5 % threshold all along.
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: name, Version: version, Track: "stable", RPS: 10, ErrorsPerSec: 1, Weight: 100, LatencyBounds: []float64{0.1}, LatencyShares: []float64{1}},
	}, nil)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Targets: []string{exp.URL}, Interval: time.Second,
		RuleFiles: []string{rulesPath}, Backfill: om.String()})
	prom.Backfill(t, exp, from, now, 15*time.Second)

	auditPath := filepath.Join(dir, "state", "audit.jsonl")
	log := audit.New(auditPath)
	actor := audit.Actor{User: "ana", Host: "bastion", Role: "operator"}
	for _, r := range []audit.Record{
		{Time: now.Add(-119 * time.Minute), ID: "r1", State: audit.Requested, Action: "rollback", Model: name, Actor: actor, Reason: "errors \x1b[31mhigh\x1b[0m | rolled back"},
		{Time: now.Add(-118 * time.Minute), ID: "r1", State: audit.Succeeded, Action: "rollback", Model: name, Actor: actor, Reason: "errors \x1b[31mhigh\x1b[0m | rolled back",
			Response: &audit.Response{Status: 200}},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	hostile := "evil\x1b]0;owned\x07model"
	h, err := registryhistory.Open(registryhistory.PathFor(auditPath))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"1", "2"} {
		reg := fleet.Registry{Models: []fleet.RegisteredModel{{Name: hostile, Aliases: map[string]string{"champion": v}}}}
		if err := h.Observe(reg, now.Add(time.Duration(i-30)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}

	cfg := writeConfig(t, fmt.Sprintf("prometheus: {url: %s}\nmlflow: {tracking_uri: %s}\naudit: {path: %s}\n", prom.URL, f.RegistryURL(), auditPath))
	code, out, errs := runArgs(t, "report", "--config", cfg, "--since", "3h", "--format", "json")
	if code != exitOK {
		t.Fatalf("report: exit %d\n%s", code, errs)
	}
	var r auditreport.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, out)
	}
	status := map[string]auditreport.Status{}
	for _, s := range r.Sections {
		status[s.Name] = s
	}
	for sec, want := range map[string]string{"served": "ok", "actions": "ok", "alerts": "ok", "breaches": "ok", "drift": "ok", "quality": "ok", "registry": "partial"} {
		if status[sec].Status != want {
			t.Errorf("section %s: %+v, want %s", sec, status[sec], want)
		}
	}
	if d := status["registry"].Detail; !strings.Contains(d, "began at "+now.Add(-30*time.Minute).UTC().Format(time.RFC3339)) {
		t.Errorf("registry section %q does not say the history began 30 minutes ago", d)
	}
	if r.StepSeconds != 15 {
		t.Errorf("step %gs, want 15s for 3 hours", r.StepSeconds)
	}
	models := map[string]auditreport.Model{}
	for _, m := range r.Models {
		models[m.Name] = m
	}
	m, ok := models[name]
	if !ok {
		t.Fatalf("no %s in %s", name, out)
	}
	step := 15 * time.Second
	near := func(what string, got, want time.Time, slack time.Duration) {
		t.Helper()
		if got.Before(want.Add(-step)) || got.After(want.Add(slack)) {
			t.Errorf("%s at %s, want %s (+%s)", what, got.Format(time.TimeOnly), want.Format(time.TimeOnly), slack)
		}
	}
	if len(m.Alerts) != 1 || m.Alerts[0].Name != "MLTopErrorRatioHigh" || m.Alerts[0].Version != version {
		t.Errorf("alerts %+v", m.Alerts)
	} else {
		near("alert from", m.Alerts[0].From, now.Add(-150*time.Minute), step)
		// A backfilled series has no staleness marker: it reads on for the 5m look-back.
		near("alert to", m.Alerts[0].To, now.Add(-121*time.Minute), 5*time.Minute+step)
	}
	// All along: from the history's first rate to its end (the last steps
	// may fall between the backfill and the first live scrapes).
	if len(m.Breaches) != 1 || m.Breaches[0].Version != version || math.Abs(*m.Breaches[0].Peak-0.1) > 1e-6 || *m.Breaches[0].Threshold != 0.05 {
		t.Errorf("breaches %+v", m.Breaches)
	} else {
		near("breach from", m.Breaches[0].From, from, 6*time.Minute)
		near("breach to", m.Breaches[0].To, now.Add(-2*time.Minute), 3*time.Minute)
	}
	if len(m.Drift) != 1 || m.Drift[0].Name != "tenure" || *m.Drift[0].Peak != 0.31 {
		t.Errorf("drift %+v", m.Drift)
	} else {
		near("drift from", m.Drift[0].From, now.Add(-100*time.Minute), step)
		near("drift to", m.Drift[0].To, now.Add(-81*time.Minute), time.Minute)
	}
	if len(m.Quality) != 1 || m.Quality[0].Name != metric || math.Abs(*m.Quality[0].Peak-(baseline-0.08)) > 1e-9 || *m.Quality[0].Baseline != baseline {
		t.Errorf("quality %+v (baseline %g)", m.Quality, baseline)
	} else {
		near("quality from", m.Quality[0].From, now.Add(-60*time.Minute), step)
	}
	// The one version took all the traffic, a tenth of it failing, from the
	// history's first rate on (the last steps may fall between the
	// backfill and the first live scrapes).
	if len(m.Served) != 1 || m.Served[0].Version != version || m.Served[0].Share != 1 ||
		m.Served[0].ErrorRatio == nil || math.Abs(*m.Served[0].ErrorRatio-0.1) > 1e-6 {
		t.Errorf("served %+v", m.Served)
	} else {
		near("served from", m.Served[0].From, from, 6*time.Minute)
		near("served to", m.Served[0].To, now.Add(-2*time.Minute), 3*time.Minute)
	}
	if len(m.Actions) != 1 || m.Actions[0].State != "succeeded" || m.Actions[0].Reason != "errors high | rolled back" || m.Actions[0].User != "ana" {
		t.Errorf("actions %+v", m.Actions)
	}
	if e, ok := models["evilmodel"]; !ok || len(e.Registry) != 1 || e.Registry[0].From != "1" || e.Registry[0].To != "2" {
		t.Errorf("registry history of the hostile model: %+v (models %v)", e, mapKeys(models))
	}

	// The last hour: no alert fired, and the rule evaluator has mltop's
	// rules (read from its rules API), so that is known, not unknown.
	code, out, _ = runArgs(t, "report", "--config", cfg, "--since", "1h", "--format", "json")
	var hour auditreport.Report
	if err := json.Unmarshal([]byte(out), &hour); code != exitOK || err != nil {
		t.Fatalf("report --since 1h: exit %d, %v", code, err)
	}
	if s := hour.Sections[2]; s.Name != "alerts" || s.Status != "ok" || !strings.Contains(s.Detail, "no MLTop alert fired; the rule evaluator has mltop's rules") {
		t.Errorf("alerts over the last hour: %+v", s)
	}

	code, out, _ = runArgs(t, "report", "--config", cfg, "--since", "3h")
	if code != exitOK {
		t.Fatalf("markdown report: exit %d", code)
	}
	for _, want := range []string{"| " + version + " | ", "| MLTopErrorRatioHigh | " + version + " | ",
		"errors high \\| rolled back", "## evilmodel"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}
	if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' }); i >= 0 {
		t.Errorf("markdown carries a control character at %d: %q", i, out[max(0, i-20):i+5])
	}
}

// demoBaseline picks a version of the demo registry with an offline
// metric between 0.5 and 1: what the quality section compares with.
func demoBaseline(t *testing.T, ctx context.Context, uri string) (model, version, metric string, baseline float64) {
	t.Helper()
	c, err := mlflow.NewClient(mlflow.Options{TrackingURI: uri, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := mlflow.NewSource(c, mlflow.SourceOptions{}).Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range reg.Models {
		for _, v := range m.Versions {
			metrics := mapKeys(v.Baseline)
			for _, k := range metrics {
				if b := v.Baseline[k]; b > 0.5 && b < 1 && k == "auc" {
					return m.Name, v.Version, k, b
				}
			}
		}
	}
	t.Fatal("no demo version with an auc baseline")
	return
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestReportUsage(t *testing.T) {
	isolate(t)
	cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\n")
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"report", "--config", cfg, "--format", "xml"}, exitFailure, "--format must be md or json"},
		{[]string{"report", "--config", cfg, "--since", "last week"}, exitFailure, "--since: want a duration such as 24h or 7d"},
		{[]string{"report", "--config", cfg, "extra"}, exitFailure, `unexpected argument "extra"`},
		{[]string{"report"}, exitNoConfig, "config"},
	} {
		code, _, errs := runArgs(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.err)
		}
	}
}
