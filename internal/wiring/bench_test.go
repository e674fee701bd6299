package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
)

// BenchmarkRefresh polls a fleet of n models through the built-in engine:
// the queries per refresh must not depend on n (one query per role,
// aggregated by model and version).
func BenchmarkRefresh(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("models=%d", n), func(b *testing.B) {
			series := make([]testenv.LinearSeries, n)
			for i := range series {
				series[i] = testenv.LinearSeries{
					Model: fmt.Sprintf("model-%04d", i), Version: "1", Track: "stable", RPS: 10, ErrorsPerSec: 0.1, Weight: 100,
					LatencyBounds: []float64{0.05, 0.1, 0.5}, LatencyShares: []float64{0.5, 0.9, 0.99},
					Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.5, DriftPSI: map[string]float64{"x": 0.01},
				}
			}
			exp := testenv.StartLinearExporter(b, series, nil)
			cfg := config.DefaultEnv(func(string) string { return "" })
			cfg.Scrape.Targets = []string{exp.URL}
			a, err := New(cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if err := a.Engine.ScrapeOnce(ctx); err != nil {
				b.Fatal(err)
			}
			if err := a.Engine.ScrapeOnce(ctx); err != nil {
				b.Fatal(err)
			}
			before := a.Poller.Stats()
			b.ResetTimer()
			for b.Loop() {
				snap := a.Poller.PollOnce(ctx)
				if len(snap.Models) != n {
					b.Fatalf("%d models in snapshot, want %d", len(snap.Models), n)
				}
			}
			after := a.Poller.Stats()
			refreshes := after.Refreshes - before.Refreshes
			b.ReportMetric(float64(after.QueriesSent-before.QueriesSent)/float64(refreshes), "queries/refresh")
		})
	}
}
