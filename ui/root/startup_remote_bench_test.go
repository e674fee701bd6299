package root

import (
	"context"
	"fmt"
	"log/slog"
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
// which detects the profiles again, as the dashboard does.
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
			var total startTimes
			for b.Loop() {
				t := remoteFirstFrame(b, cfg)
				total.detected += t.detected
				total.snapshot += t.snapshot
				total.rows += t.rows
			}
			b.ReportMetric(float64(total.detected.Milliseconds())/float64(b.N), "ms-to-detect")
			b.ReportMetric(float64(total.snapshot.Milliseconds())/float64(b.N), "ms-to-snapshot")
			b.ReportMetric(float64(total.rows.Milliseconds())/float64(b.N), "ms-to-rows")
		})
	}
}

// startTimes are the times from start to the profiles detected, to the
// first snapshot and to the first frame with fleet rows.
type startTimes struct{ detected, snapshot, rows time.Duration }

// remoteFirstFrame starts the app over cfg and times its start.
func remoteFirstFrame(b *testing.B, cfg *config.Config) (t startTimes) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	// As the dashboard starts: the profiles detected first.
	log := slog.New(slog.DiscardHandler)
	detected := wiring.Detect(ctx, cfg, log)
	t.detected = time.Since(start)
	a, err := wiring.New(detected, log)
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
			if t.snapshot == 0 {
				t.snapshot = time.Since(start)
			}
			m.Update(common.SnapshotMsg{Snapshot: s})
			m.Update(frameMsg{})
			if strings.Contains(ansi.Strip(m.View().Content), "model-0") {
				t.rows = time.Since(start)
				return t
			}
		case <-ctx.Done():
			b.Fatal("no fleet rows within a minute")
		}
	}
}
