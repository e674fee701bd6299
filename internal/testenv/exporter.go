package testenv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// LinearSeries is one version served by the LinearExporter. Counters grow
// at exactly these rates, so rate() has one right answer at any time.
type LinearSeries struct {
	Model, Version, Track string
	RPS, ErrorsPerSec     float64
	Weight                float64
	// LatencyBuckets are cumulative shares of requests at or below each bound.
	LatencyBounds, LatencyShares []float64
	Performance                  map[string]float64
	// Offline is the version's offline baseline per metric
	// (model_offline_performance), what the quality rule compares with.
	Offline      map[string]float64
	LabeledShare float64
	DriftPSI     map[string]float64
}

// Label delays: a fifth within a minute, most within a day.
var (
	labelDelayBounds = []float64{60, 3600, 86400, 172800}
	labelDelayShares = []float64{0.2, 0.5, 0.9, 0.99}
)

// LinearExporter serves the default metric convention with explicit sample
// timestamps and values that are exact linear functions of those timestamps.
// Whoever scrapes it, and whenever, computes the same rates and quantiles.
type LinearExporter struct {
	URL      string
	Start    time.Time // counters are zero here
	LastSeen time.Time // newest label, for label_age
	Series   []LinearSeries
	Rollouts map[string][4]string // model -> phase, strategy, step, steps
	srv      *httptest.Server
	scrapes  atomic.Int64
}

// StartLinearExporter serves series on 127.0.0.1 until the test ends.
func StartLinearExporter(t testing.TB, series []LinearSeries, rollouts map[string][4]string) *LinearExporter {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	e := &LinearExporter{Start: now.Add(-10 * time.Minute), LastSeen: now.Add(-90 * time.Minute), Series: series, Rollouts: rollouts}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	e.URL = e.srv.URL + "/metrics"
	t.Cleanup(e.srv.Close)
	return e
}

// Scrapes counts requests served.
func (e *LinearExporter) Scrapes() int64 { return e.scrapes.Load() }

func (e *LinearExporter) serve(w http.ResponseWriter, _ *http.Request) {
	e.scrapes.Add(1)
	ts := time.Now().UnixMilli()
	secs := float64(ts-e.Start.UnixMilli()) / 1000
	// Families must each stay one contiguous group in the text format.
	fams := map[string]*strings.Builder{}
	var order []string
	line := func(family, name, labels string, v float64) {
		b, ok := fams[family]
		if !ok {
			b = &strings.Builder{}
			fams[family] = b
			order = append(order, family)
		}
		fmt.Fprintf(b, "%s{%s} %g %d\n", name, labels, v, ts)
	}
	histogram := func(family, mv string, bounds, shares []float64, total, sum float64) {
		for i, bound := range bounds {
			line(family, family+"_bucket", fmt.Sprintf(`%s,le="%g"`, mv, bound), shares[i]*total)
		}
		line(family, family+"_bucket", mv+`,le="+Inf"`, total)
		line(family, family+"_sum", mv, sum)
		line(family, family+"_count", mv, total)
	}
	for _, s := range e.Series {
		mv := fmt.Sprintf(`model=%q,version=%q`, s.Model, s.Version)
		line("model_predictions_total", "model_predictions_total", mv, s.RPS*secs)
		line("model_prediction_errors_total", "model_prediction_errors_total", mv, s.ErrorsPerSec*secs)
		histogram("model_prediction_duration_seconds", mv, s.LatencyBounds, s.LatencyShares, s.RPS*secs, s.RPS*0.05*secs)
		for m, v := range s.Performance {
			line("model_performance", "model_performance", fmt.Sprintf(`%s,metric=%q`, mv, m), v)
		}
		for m, v := range s.Offline {
			line("model_offline_performance", "model_offline_performance", fmt.Sprintf(`%s,metric=%q`, mv, m), v)
		}
		line("model_traffic_weight", "model_traffic_weight", fmt.Sprintf(`%s,track=%q`, mv, s.Track), s.Weight)
		if s.LabeledShare > 0 {
			labels := s.LabeledShare * s.RPS * secs
			line("model_ground_truth_labeled_total", "model_ground_truth_labeled_total", mv, labels)
			line("model_ground_truth_last_timestamp_seconds", "model_ground_truth_last_timestamp_seconds", mv, float64(e.LastSeen.Unix()))
			histogram("model_ground_truth_delay_seconds", mv, labelDelayBounds, labelDelayShares, labels, 7200*labels)
		}
		for f, v := range s.DriftPSI {
			line("model_drift_score", "model_drift_score", fmt.Sprintf(`%s,feature=%q,method="psi"`, mv, f), v)
		}
	}
	for m, r := range e.Rollouts {
		line("model_rollout_info", "model_rollout_info", fmt.Sprintf(`model=%q,phase=%q,strategy=%q`, m, r[0], r[1]), 1)
		var step, steps float64
		fmt.Sscan(r[2], &step)
		fmt.Sscan(r[3], &steps)
		line("model_rollout_step", "model_rollout_step", fmt.Sprintf(`model=%q`, m), step)
		line("model_rollout_steps", "model_rollout_steps", fmt.Sprintf(`model=%q`, m), steps)
		if steps > 0 {
			// Evenly spaced steps: the weight the current step asks for.
			line("model_rollout_set_weight", "model_rollout_set_weight", fmt.Sprintf(`model=%q`, m), 100*step/steps)
		}
	}
	var out strings.Builder
	for _, f := range order {
		typ := "gauge"
		switch {
		case strings.HasSuffix(f, "_total"):
			typ = "counter"
		case f == "model_prediction_duration_seconds" || f == "model_ground_truth_delay_seconds":
			typ = "histogram"
		}
		fmt.Fprintf(&out, "# TYPE %s %s\n%s", f, typ, fams[f].String())
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = w.Write([]byte(out.String()))
}
