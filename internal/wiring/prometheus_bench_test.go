package wiring_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// requestCounter counts the HTTP requests sent to the server.
type requestCounter struct{ n atomic.Int64 }

func (c *requestCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// BenchmarkPrometheusRefresh polls a real Prometheus holding n models × 10
// drift features. It reports the queries per refresh (constant in n), and
// compares a refresh (queries in parallel) with the sum of the same queries
// run one after another: the poller's own overhead is the difference. It
// reports the HTTP requests per refresh too: fewer than the queries, where
// the source shares reads.
func BenchmarkPrometheusRefresh(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("models=%d", n), func(b *testing.B) {
			features := map[string]float64{}
			for i := 0; i < 10; i++ {
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
			exp := testenv.StartLinearExporter(b, series, nil)
			prom := testenv.StartPrometheus(b, []string{exp.URL}, time.Second)
			prom.WaitFor("count(count_over_time(model_predictions_total[1m]) >= 3)", 60*time.Second, func(v model.Vector) bool {
				return len(v) == 1 && int(v[0].Value) == n
			})
			rt := &requestCounter{}
			src, err := prometheus.New(prometheus.Options{URL: prom.URL, Timeout: 30 * time.Second, Transport: rt})
			if err != nil {
				b.Fatal(err)
			}
			queries := promQueries(b, time.Minute)
			p := poll.New(poll.Options{Metrics: src, Queries: queries, Deadline: time.Minute})
			ctx := context.Background()

			var sequential time.Duration
			for _, q := range queries {
				start := time.Now()
				if _, _, err := src.Query(ctx, q.Expr, time.Now()); err != nil {
					b.Fatalf("%s: %v", q.Name, err)
				}
				sequential += time.Since(start)
			}
			before, sent := p.Stats(), rt.n.Load()
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if s := p.PollOnce(ctx); len(s.Models) != n || !s.Sources[0].OK {
					b.Fatalf("%d models, source %+v", len(s.Models), s.Sources[0])
				}
			}
			perRefresh := time.Since(start) / time.Duration(b.N)
			after := p.Stats()
			b.ReportMetric(float64(after.QueriesSent-before.QueriesSent)/float64(after.Refreshes-before.Refreshes), "queries/refresh")
			b.ReportMetric(float64(rt.n.Load()-sent)/float64(after.Refreshes-before.Refreshes), "requests/refresh")
			b.ReportMetric(float64(sequential.Microseconds())/1000, "sequential-ms")
			b.ReportMetric(float64(perRefresh)/float64(sequential), "refresh/sequential")
		})
	}
}
