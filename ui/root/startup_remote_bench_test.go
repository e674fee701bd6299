package root

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/common"
)

// BenchmarkStartToFirstFrameRemote measures the dashboard against a remote
// Prometheus (Debian's, on loopback, its rate windows already scraped full)
// from starting the app to the first frame that shows fleet rows, for 100
// and 1,000 models. Nothing is cached between runs: each starts a new app,
// which detects the profiles again.
func BenchmarkStartToFirstFrameRemote(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			series := make([]testenv.LinearSeries, n)
			for i := range series {
				series[i] = testenv.LinearSeries{
					Model: fmt.Sprintf("model-%04d", i), Version: "1", Track: "stable", RPS: 10, ErrorsPerSec: 0.1, Weight: 100,
					LatencyBounds: []float64{0.05, 0.1, 0.5}, LatencyShares: []float64{0.5, 0.9, 1},
					Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.5,
				}
			}
			exp := testenv.StartLinearExporter(b, series, nil)
			prom := testenv.StartPrometheus(b, []string{exp.URL}, time.Second)
			prom.WaitFor("count(count_over_time(model_predictions_total[1m]) >= 12)", 3*time.Minute, func(v model.Vector) bool {
				return len(v) == 1 && int(v[0].Value) == n
			})
			cfg := config.DefaultEnv(func(string) string { return "" })
			cfg.Prometheus.URL = prom.URL
			cfg.Refresh = 2 * time.Second
			cfg.Window = time.Minute
			var total time.Duration
			for b.Loop() {
				total += remoteFirstFrame(b, cfg)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-rows")
		})
	}
}

// remoteFirstFrame starts the app over cfg and returns how long it took
// until a frame showed fleet rows.
func remoteFirstFrame(b *testing.B, cfg *config.Config) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	a, err := wiring.New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	a.Start(ctx)
	a.RunPoller(ctx)
	// Close waits for the poller, which stops with ctx: cancel first.
	defer a.Close()
	defer cancel()
	ch, unsubscribe := a.Poller.Hub().Subscribe()
	defer unsubscribe()
	m := New(Options{Snapshots: ch, Theme: "dark", Refresh: a.Config.Refresh, Role: "operator", Now: time.Now()})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	for {
		select {
		case s := <-ch:
			m.Update(common.SnapshotMsg{Snapshot: s})
			m.Update(frameMsg{})
			if strings.Contains(ansi.Strip(m.View().Content), "model-0") {
				return time.Since(start)
			}
		case <-ctx.Done():
			b.Fatal("no fleet rows within a minute")
		}
	}
}
