package conformance

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv"
)

// BenchmarkRefresh is one refresh of the default profile against each
// engine holding a fleet of 1,000 models (one version each, every quantity
// of the default convention, 10 drift features), scraped every 2s.
func BenchmarkRefresh(b *testing.B) {
	const n = 1000
	features := map[string]float64{}
	for i := range 10 {
		features[fmt.Sprintf("f%02d", i)] = 0.01 * float64(i)
	}
	series := make([]testenv.LinearSeries, n)
	for i := range series {
		series[i] = testenv.LinearSeries{
			Model: fmt.Sprintf("model-%04d", i), Version: "1", Track: "stable", RPS: 10, ErrorsPerSec: 0.1, Weight: 100,
			LatencyBounds: latencyBounds, LatencyShares: latencyShares,
			Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.5, DriftPSI: features,
		}
	}
	for _, l := range lanes {
		b.Run(fmt.Sprintf("backend=%s/models=%d", l.name, n), func(b *testing.B) {
			exp := testenv.StartLinearExporter(b, series, nil)
			e := l.start(b, []string{exp.URL}, 2*time.Second)
			e.ref.WaitFor("count(count_over_time(model_predictions_total[1m]) >= 3)", 3*time.Minute, func(v model.Vector) bool {
				return len(v) == 1 && int(v[0].Value) == n
			})
			p := poll.New(poll.Options{Metrics: e.source(b, e.headers), Queries: defaultQueries(b), Deadline: time.Minute})
			ctx := context.Background()
			if s := p.PollOnce(ctx); len(s.Models) != n || !s.Sources[0].OK {
				b.Fatalf("%d models, source %+v", len(s.Models), s.Sources[0])
			}
			before := p.Stats()
			start := time.Now()
			for b.Loop() {
				if s := p.PollOnce(ctx); len(s.Models) != n || !s.Sources[0].OK {
					b.Fatalf("%d models, source %+v", len(s.Models), s.Sources[0])
				}
			}
			after := p.Stats()
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(after.Refreshes-before.Refreshes), "ms/refresh")
			b.ReportMetric(float64(after.QueriesSent-before.QueriesSent)/float64(after.Refreshes-before.Refreshes), "queries/refresh")
		})
	}
}
