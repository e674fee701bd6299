package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
)

// counterHistory is OpenMetrics text for promtool: one counter series per
// entry growing at rps from..to, a sample every 5 s.
func counterHistory(series ...struct {
	labels   string
	rps      float64
	from, to time.Time
}) string {
	var b strings.Builder
	b.WriteString("# TYPE model_predictions counter\n")
	for _, s := range series {
		for at := s.from; !at.After(s.to); at = at.Add(5 * time.Second) {
			fmt.Fprintf(&b, "model_predictions_total{%s} %g %d\n", s.labels, s.rps*at.Sub(s.from).Seconds(), at.Unix())
		}
	}
	return b.String() + "# EOF\n"
}

// TestCheckServiceLevelObjectives: through a real Prometheus, an exporter
// whose latency and errors cross the latency objective and the error
// budget's page burn rate, a model at 3 % of last week's traffic (last
// week backfilled into the TSDB with promtool, read by the offset query)
// and one that stopped: check exits 1 naming each in the findings' words,
// and the snapshot JSON carries them as findings.
func TestCheckServiceLevelObjectives(t *testing.T) {
	t.Parallel()
	start := time.Now().Truncate(time.Second)
	type hist = struct {
		labels   string
		rps      float64
		from, to time.Time
	}
	week := 7 * 24 * time.Hour
	backfill := counterHistory(
		// Last week at this time, search served 13 req/s.
		hist{`model="search",version="3"`, 13, start.Add(-week - 10*time.Minute), start.Add(-week + 10*time.Minute)},
		// pricing served 12 req/s for an hour, then stopped 3 minutes ago.
		hist{`model="pricing",version="2"`, 12, start.Add(-62 * time.Minute), start.Add(-3 * time.Minute)},
	)
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		// 0.4 of 20 req/s fail: 2 %, 20× a 99.9 % objective's budget over
		// every window (and under error_rate's 2.5 % warning). 90 % of
		// requests within 500ms: 10 % slower.
		{Model: "fraud", Version: "8", Track: "stable", RPS: 20, ErrorsPerSec: 0.4, Weight: 100,
			LatencyBounds: []float64{0.1, 0.25, 0.5, 1}, LatencyShares: []float64{0.5, 0.8, 0.9, 0.99}},
		// Fast and faultless, at 0.4 req/s: 3 % of last week's 13.
		{Model: "search", Version: "3", Track: "stable", RPS: 0.4, Weight: 100,
			LatencyBounds: []float64{0.1}, LatencyShares: []float64{1}},
	}, nil)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Targets: []string{exp.URL}, Interval: time.Second, Backfill: backfill})
	// Last week's series is in the TSDB before any scrape.
	if v := prom.Query(`sum by (model) (rate(model_predictions_total{model="search"}[15s] offset 1w))`, time.Now()); len(v) != 1 || v[0].Value < 12.9 || v[0].Value > 13.1 {
		t.Fatalf("backfilled last week: %v", v)
	}
	// The hour before the 15s window holds scrapes of both exporters.
	prom.WaitFor(`count(count_over_time(model_predictions_total{job="mltop"}[1h] offset 15s) >= 3)`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value == 2
	})
	cfg := writeConfig(t, fmt.Sprintf(`prometheus:
  url: %s
window: 15s
thresholds:
  latency_p95: 500ms
  availability: 0.999
`, prom.URL))

	code, text, doc := runCheck(t, "--config", cfg)
	t.Logf("check:\n%s", text)
	for _, want := range []string{
		"fraud v8: p95 objective: 10.0% of requests slower than 500ms (> 5%)",
		"fraud v8: error budget burning 20× (1h) and 20× (5m) the 99.9% objective",
		"search: silent: 0.4 req/s, 3% of last week's 13 req/s",
		"pricing: stopped: no requests reported in 15s after ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("check lacks %q\n%s", want, text)
		}
	}
	if code != exitBreach {
		t.Errorf("exit %d, want 1\n%s", code, text)
	}
	checks := map[string]string{}
	for _, b := range doc.Breaches {
		checks[b.Model+" "+b.Check] = b.Status
	}
	for key, status := range map[string]string{"fraud latency": "warn", "fraud burn_rate": "critical", "search silent": "warn", "pricing silent": "critical"} {
		if checks[key] != status {
			t.Errorf("JSON breach %s = %q, want %q (all: %+v)", key, checks[key], status, doc.Breaches)
		}
	}
	if _, ok := checks["search latency"]; ok {
		t.Errorf("search is within its latency objective: %+v", doc.Breaches)
	}
	if _, ok := checks["search burn_rate"]; ok {
		t.Errorf("search has no errors: %+v", doc.Breaches)
	}

	var out, errb strings.Builder
	if c := run([]string{"snapshot", "--config", cfg, "--format", "json", "--log-file", "-"}, &out, &errb); c != exitOK {
		t.Fatalf("snapshot exit %d: %s", c, errb.String())
	}
	var snap struct {
		Models []struct {
			Name   string `json:"name"`
			Health struct {
				Findings []struct {
					Version *string `json:"version"`
					Check   string  `json:"check"`
					Message string  `json:"message"`
				} `json:"findings"`
			} `json:"health"`
		} `json:"models"`
	}
	if err := json.Unmarshal([]byte(out.String()), &snap); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, m := range snap.Models {
		for _, f := range m.Health.Findings {
			found[m.Name+" "+f.Check] = f.Message
		}
	}
	if !strings.HasPrefix(found["pricing silent"], "stopped: ") || found["fraud burn_rate"] == "" || found["fraud latency"] == "" || found["search silent"] == "" {
		t.Errorf("snapshot findings: %v", found)
	}
}
