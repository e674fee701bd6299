package root

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/common"
)

// BenchmarkStartToFirstFrame measures `mltop demo` from starting the demo
// fleet to the first frame showing fleet rows, and to the first frame with
// request rates, driving the real root model without a terminal.
func BenchmarkStartToFirstFrame(b *testing.B) {
	var rows, rates time.Duration
	n := 0
	for b.Loop() {
		r, q := startToFirstFrame(b)
		rows += r
		rates += q
		n++
	}
	b.ReportMetric(float64(rows.Milliseconds())/float64(n), "ms-to-rows")
	b.ReportMetric(float64(rates.Milliseconds())/float64(n), "ms-to-rates")
}

func startToFirstFrame(b *testing.B) (rows, rates time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	f, err := demo.Start(ctx, demo.Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	a, err := wiring.New(wiring.DemoConfig(f), nil)
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
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for rates == 0 {
		select {
		case s := <-ch:
			m.Update(common.SnapshotMsg{Snapshot: s})
			m.Update(frameMsg{})
			text := ansi.Strip(m.View().Content)
			if rows == 0 && strings.Contains(text, "payments-fraud") {
				rows = time.Since(start)
			}
			if rows != 0 && hasRates(s) {
				rates = time.Since(start)
			}
		case <-ctx.Done():
			b.Fatal("no fleet rows within a minute")
		}
	}
	return rows, rates
}

func hasRates(s fleet.Snapshot) bool {
	for _, m := range s.Models {
		for _, v := range m.Versions {
			if v.Serving && v.RequestsPerSecond != nil {
				return true
			}
		}
	}
	return false
}
