package wiring_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/sources/prometheus"
)

var (
	recordedPhase  = flag.Duration("recorded.phase", time.Minute, "BenchmarkPrometheusRecorded: length of each measured phase")
	recordedScrape = flag.Duration("recorded.scrape", 5*time.Second, "BenchmarkPrometheusRecorded: Prometheus's scrape interval")
)

// BenchmarkPrometheusRecorded measures what mltop costs a real Prometheus
// in CPU, polling every 2 s, with and without the recording rules, side by
// side on one server: n models × 10 exported drift features scraped every
// 5 s. Phases of equal length, the server's own CPU counted in each:
//
//	idle     no rules, nobody querying
//	raw      no rules, mltop reading every role's query
//	rules    the rules loaded and evaluated every 15 s, nobody querying
//	recorded the rules loaded, mltop reading the recorded series
//	idle2    the rules removed again, nobody querying
//
// mltop's cost without rules is raw − idle; with rules it is recorded −
// idle, so the rules' own evaluation counts against it (idle is the mean
// of idle and idle2). Run with -benchtime 1x.
func BenchmarkPrometheusRecorded(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("models=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchRecorded(b, n)
			}
		})
	}
}

func benchRecorded(b *testing.B, n int) {
	features := map[string]float64{}
	for i := range 10 {
		features[fmt.Sprintf("f%02d", i)] = 0.01 * float64(i)
	}
	series := make([]testenv.LinearSeries, n)
	for i := range series {
		series[i] = testenv.LinearSeries{
			Model: fmt.Sprintf("model-%04d", i), Version: "1", Track: "stable", RPS: 10, ErrorsPerSec: 0.1, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1, 0.5}, LatencyShares: []float64{0.5, 0.9, 0.99},
			Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.5, DriftPSI: features,
		}
	}
	rulesPath := filepath.Join(b.TempDir(), "mltop.rules.yml")
	writeRules := func(data []byte) {
		if err := os.WriteFile(rulesPath, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	writeRules([]byte("groups: []\n"))
	exp := testenv.StartLinearExporter(b, series, nil)
	histEnd := time.Now()
	prom := testenv.StartPrometheusWith(b, testenv.PrometheusConfig{Targets: []string{exp.URL}, Interval: *recordedScrape, RuleFiles: []string{rulesPath}})
	// The hour-long windows (labels, verdict counts) full from the start,
	// as on a server that has scraped the fleet for a while.
	began := time.Now()
	prom.Backfill(b, exp, histEnd.Add(-65*time.Minute), histEnd, *recordedScrape)
	b.Logf("models=%d: an hour of history written in %s", n, time.Since(began).Round(time.Second))
	// The rate window full for every model.
	minSamples := int(time.Minute / *recordedScrape)
	prom.WaitFor(fmt.Sprintf("count(count_over_time(model_predictions_total[1m]) >= %d)", minSamples), 3*time.Minute, func(v model.Vector) bool {
		return len(v) == 1 && int(v[0].Value) == n
	})

	cfgFor := func(recorded bool) *config.Config {
		cfg, err := config.ParseEnv("config.yaml", fmt.Appendf(nil, "refresh: 2s\nprometheus: {url: %q, recorded: %v}\n", prom.URL, recorded), func(string) string { return "" })
		if err != nil {
			b.Fatal(err)
		}
		return cfg
	}
	ruleFile, err := recording.RuleFile(cfgFor(true))
	if err != nil {
		b.Fatal(err)
	}
	rules, err := recording.Rules(cfgFor(true))
	if err != nil {
		b.Fatal(err)
	}
	cpu := func() float64 { return serverMetric(b, prom.URL, "process_cpu_seconds_total ") }
	requests := func() float64 {
		return serverMetric(b, prom.URL, `prometheus_http_requests_total{code="200",handler="/api/v1/query"} `)
	}
	phase := func(name string, recorded *bool) (float64, int) {
		var a *wiring.App
		if recorded != nil {
			if a, err = wiring.New(cfgFor(*recorded), slog.New(slog.DiscardHandler)); err != nil {
				b.Fatal(err)
			}
		}
		before, reqBefore := cpu(), requests()
		start := time.Now()
		if a != nil {
			ctx, cancel := context.WithTimeout(context.Background(), *recordedPhase)
			a.RunPoller(ctx)
			<-ctx.Done()
			cancel()
			a.Close()
			if snap, ok := a.Poller.Hub().Latest(); !ok || len(snap.Models) != n {
				b.Fatalf("%s: no snapshot of %d models", name, n)
			} else if *recorded && (snap.Sources[0].Recorded == nil || len(snap.Sources[0].Recorded.Roles) != len(rules)) {
				b.Fatalf("%s: recorded roles %+v, want %d", name, snap.Sources[0].Recorded, len(rules))
			}
		} else {
			time.Sleep(*recordedPhase) // measuring the server's CPU while nobody queries it
		}
		used, queries := cpu()-before, int(requests()-reqBefore)
		b.Logf("models=%d %-8s %6.2f s CPU in %s, %d requests", n, name, used, time.Since(start).Round(time.Second), queries)
		return used, queries
	}
	yes, no := true, false

	idle1, _ := phase("idle", nil)
	raw, rawQueries := phase("raw", &no)
	writeRules(ruleFile)
	reload(b, prom.URL)
	for _, r := range rules {
		prom.WaitFor("count("+r.Record+")", time.Minute, func(v model.Vector) bool { return len(v) == 1 && v[0].Value > 0 })
	}
	rulesIdle, _ := phase("rules", nil)
	rec, recQueries := phase("recorded", &yes)
	writeRules([]byte("groups: []\n"))
	reload(b, prom.URL)
	idle2, _ := phase("idle2", nil)

	idle := (idle1 + idle2) / 2
	costRaw, costRec := raw-idle, rec-idle
	b.ReportMetric(costRaw, "raw-cpu-s")
	b.ReportMetric(costRec, "recorded-cpu-s")
	b.ReportMetric(rulesIdle-idle, "rules-cpu-s")
	b.ReportMetric(idle, "idle-cpu-s")
	b.ReportMetric(costRec/costRaw, "recorded/raw")
	b.ReportMetric(float64(rawQueries), "raw-requests")
	b.ReportMetric(float64(recQueries), "recorded-requests")
	perQueryCPU(b, prom.URL, n, cfgFor(false), rules)
}

// perQueryCPU logs the server's CPU per evaluation of each query of the
// default profile, and of each recorded series read instead: which
// queries a refresh's cost is made of.
func perQueryCPU(b *testing.B, url string, n int, cfg *config.Config, rules []recording.Rule) {
	src, err := prometheus.New(prometheus.Options{URL: url, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	qs, err := cfg.Queries()
	if err != nil {
		b.Fatal(err)
	}
	recorded := recording.Mapping(rules)
	type row struct {
		name string
		ms   float64
	}
	var rows []row
	const reps = 10
	measure := func(name, expr string) {
		before := serverMetric(b, url, "process_cpu_seconds_total ")
		for range reps {
			if _, _, err := src.Query(context.Background(), expr, time.Now()); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
		}
		rows = append(rows, row{name, (serverMetric(b, url, "process_cpu_seconds_total ") - before) / reps * 1000})
	}
	for _, q := range qs {
		measure(q.Role, q.Expr)
		if rec, ok := recorded[q.Role]; ok {
			measure(q.Role+" (recorded)", rec)
		}
	}
	measure("every recorded role, one request", recording.SelectorOf(rules))
	sort.Slice(rows, func(i, j int) bool { return rows[i].ms > rows[j].ms })
	var out strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&out, "\n  %-36s %7.2f ms", r.name, r.ms)
	}
	// Printed whole: a benchmark's log is cut after a few lines.
	fmt.Printf("models=%d, the server's CPU per query (mean of %d):%s\n", n, reps, out.String())
}

// serverMetric is the value of one series of a Prometheus server's own
// /metrics, given as its line's beginning: its CPU time
// (process_cpu_seconds_total), the queries it answered.
func serverMetric(b *testing.B, url, line string) float64 {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), line); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				b.Fatal(err)
			}
			return f
		}
	}
	if strings.HasPrefix(line, "prometheus_http_requests_total") {
		return 0 // none answered yet
	}
	b.Fatalf("no %s on %s/metrics", line, url)
	return 0
}

// reload makes Prometheus read its config and rule files again.
func reload(b *testing.B, url string) {
	resp, err := http.Post(url+"/-/reload", "", nil)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("reload: %s", resp.Status)
	}
}
