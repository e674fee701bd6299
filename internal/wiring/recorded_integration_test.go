package wiring_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// recordedYAML is the config of the recorded-series tests: every window
// short enough to fill within the test, so that over the linear exporter
// every value is constant once it has.
const recordedYAML = `window: 20s
drift: {window: 20s}
verdict: {window: 20s}
prometheus:
  url: %s
`

// linearFleet is a few versions of the default convention whose counters
// grow exactly linearly: two models, one with a canary. No figure sits on
// a threshold (the canary's 4 % errors against error_rate's 5 %; fraud's
// 12.7× budget burn between the ticket's 6× and the page's 14.4×): there,
// the last bit of a rate computed at another instant would decide health.
func linearFleet() []testenv.LinearSeries {
	lat := func(s *testenv.LinearSeries) {
		s.LatencyBounds, s.LatencyShares = []float64{0.05, 0.1, 0.5}, []float64{0.5, 0.9, 0.99}
	}
	out := []testenv.LinearSeries{
		{Model: "fraud", Version: "3", Track: "stable", RPS: 40, ErrorsPerSec: 0.4, Weight: 90, LabeledShare: 0.5, Performance: map[string]float64{"auc": 0.91}},
		{Model: "fraud", Version: "4", Track: "canary", RPS: 4, ErrorsPerSec: 0.16, Weight: 10, LabeledShare: 0.5, Performance: map[string]float64{"auc": 0.9}},
		{Model: "churn", Version: "7", Track: "stable", RPS: 12.5, ErrorsPerSec: 0, Weight: 100, LabeledShare: 0.2},
	}
	for i := range out {
		lat(&out[i])
	}
	return out
}

// TestRecordedSeriesGiveTheSameSnapshot: a real Prometheus evaluates the
// generated recording rules (all but one) over an exporter whose rates are
// constant. mltop detects the recorded series, switches exactly the roles
// that have them, and its snapshot holds the same values as one read from
// the raw queries, to float precision; `mltop snapshot`'s table of models
// is the same text.
func TestRecordedSeriesGiveTheSameSnapshot(t *testing.T) {
	plain, err := config.ParseEnv("config.yaml", fmt.Appendf(nil, recordedYAML, "http://127.0.0.1:1"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	rules, err := recording.Rules(plain)
	if err != nil {
		t.Fatal(err)
	}
	// One rule left out: its role must stay on its query.
	loaded := slices.DeleteFunc(slices.Clone(rules), func(r recording.Rule) bool { return r.Role == "latency_p99" })
	if len(loaded) != len(rules)-1 || len(rules) < 10 {
		t.Fatalf("rules %v", rules)
	}
	file, err := recording.Marshal(loaded)
	if err != nil {
		t.Fatal(err)
	}
	// Evaluated every second, so the test need not wait for 15 s rounds.
	file = bytes.Replace(file, []byte("interval: "+config.FormatDuration(recording.Interval)), []byte("interval: 1s"), 1)
	path := filepath.Join(t.TempDir(), "mltop.rules.yml")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}

	exp := testenv.StartLinearExporter(t, linearFleet(), nil)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Targets: []string{exp.URL}, Interval: time.Second, RuleFiles: []string{path}, EvaluationInterval: time.Second,
	})
	// Every window full (20 s of samples and some), then one evaluation of
	// every rule after that.
	prom.WaitFor("min(count_over_time(model_predictions_total[30s]))", 90*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 25
	})
	full := time.Now()
	for _, r := range loaded {
		prom.WaitFor(fmt.Sprintf("min(timestamp(%s)) > %d", r.Record, full.Unix()+1), 30*time.Second, func(v model.Vector) bool { return len(v) == 1 })
	}

	snap := func(extra string) fleet.Snapshot {
		t.Helper()
		cfg, err := config.ParseEnv("config.yaml", fmt.Appendf(nil, recordedYAML+extra, prom.URL), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		a, err := wiring.New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s := a.Poller.PollOnce(ctx)
		if len(s.Models) != 2 || !s.Sources[0].OK {
			t.Fatalf("%s: %d models, source %+v", extra, len(s.Models), s.Sources[0])
		}
		return s
	}
	raw := snap("  recorded: false\n")
	detected := snap("")
	forced := snap("  recorded: true\n")

	if r := raw.Sources[0].Recorded; r != nil {
		t.Errorf("recorded: false still looked for recorded series: %+v", r)
	}
	var want []fleet.Role
	for _, r := range loaded {
		want = append(want, fleet.Role(r.Role))
	}
	if r := detected.Sources[0].Recorded; r == nil || !slices.Equal(r.Roles, want) || r.Of != len(rules) {
		t.Errorf("detected %+v, want roles %v of %d", r, want, len(rules))
	}
	if r := forced.Sources[0].Recorded; r == nil || len(r.Roles) != len(rules) {
		t.Errorf("recorded: true reads %+v, want every one of the %d roles", r, len(rules))
	}
	rawValues := snapshotValues(raw)
	if len(rawValues) < 30 {
		t.Fatalf("only %d values to compare: %v", len(rawValues), rawValues)
	}
	for name, s := range map[string]fleet.Snapshot{"detected": detected, "recorded: true": forced} {
		if d := compareValues(rawValues, snapshotValues(s)); d != "" {
			t.Errorf("%s: values differ from the raw queries':\n%s", name, d)
		}
		if a, b := modelTable(t, raw), modelTable(t, s); a != b {
			t.Errorf("%s: the snapshot table differs:\n%s\nraw:\n%s", name, b, a)
		}
	}
}

// snapshotValues are the numbers of every version that come from the
// recorded roles, or from queries beside them, keyed by model, version and
// field.
func snapshotValues(s fleet.Snapshot) map[string]float64 {
	out := map[string]float64{}
	put := func(key string, v *float64) {
		if v != nil {
			out[key] = *v
		}
	}
	for _, m := range s.Models {
		for _, v := range m.Versions {
			k := m.Name + "/" + v.Version + "/"
			put(k+"rps", v.RequestsPerSecond)
			put(k+"errors", v.ErrorRate)
			put(k+"p50", v.Latency.P50)
			put(k+"p95", v.Latency.P95)
			put(k+"p99", v.Latency.P99)
			put(k+"mean", v.Latency.Mean)
			put(k+"weight", v.TrafficWeight)
			put(k+"labeled", v.GroundTruth.LabeledFraction)
			put(k+"delay_p50", v.GroundTruth.DelayP50Seconds)
			put(k+"delay_p95", v.GroundTruth.DelayP95Seconds)
			put(k+"labels", v.GroundTruth.Labels)
			for metric, x := range v.Performance {
				out[k+"performance/"+metric] = x
			}
			if c := v.Counts; c != nil {
				put(k+"counts/requests", c.Requests)
				put(k+"counts/errors", c.Errors)
				for _, b := range c.Latency {
					out[fmt.Sprintf("%scounts/le=%g", k, b.Le)] = b.Count
				}
			}
		}
	}
	return out
}

// compareValues says where got differs from want beyond float rounding.
func compareValues(want, got map[string]float64) string {
	var b strings.Builder
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			fmt.Fprintf(&b, "  %s: missing (want %g)\n", k, w)
		case math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)):
			fmt.Fprintf(&b, "  %s: %g, want %g\n", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			fmt.Fprintf(&b, "  %s: %g, not in the raw snapshot\n", k, g)
		}
	}
	return b.String()
}

// modelTable is `mltop snapshot --format table` without its sources
// lines, which say how each was read.
func modelTable(t *testing.T, s fleet.Snapshot) string {
	t.Helper()
	var b strings.Builder
	if err := report.Table(&b, s); err != nil {
		t.Fatal(err)
	}
	_, models, _ := strings.Cut(b.String(), "\n\n")
	return models
}
