package wiring

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// TestLongWindowsAreReadAtTheirPace: counts over an hour are not asked
// for every 2 s; the rates over the 1m window are.
func TestLongWindowsAreReadAtTheirPace(t *testing.T) {
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Refresh = 2 * time.Second
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[fleet.Role]time.Duration{
		fleet.RoleVerdictCounts:  cfg.Verdict.Window / 120,
		fleet.RoleVerdictLatency: cfg.Verdict.Window / 120,
		fleet.RoleLabelsInWindow: cfg.Drift.Window / 60,
		fleet.RoleRequestRate:    0,
		fleet.RoleErrorRatio:     0,
		fleet.RoleLatencyP95:     0,
	}
	seen := 0
	for _, q := range qs {
		if w, ok := want[q.Role]; ok {
			seen++
			if q.Every != w {
				t.Errorf("%s every %v, want %v", q.Role, q.Every, w)
			}
		}
	}
	if seen != len(want) {
		t.Fatalf("%d of the %d roles in the default queries", seen, len(want))
	}
	if cfg.Verdict.Window != time.Hour || want[fleet.RoleVerdictCounts] != 30*time.Second {
		t.Errorf("default verdict window %v: the counts every %v", cfg.Verdict.Window, want[fleet.RoleVerdictCounts])
	}
	// Never more often than the refresh.
	cfg.Refresh, cfg.Verdict.Window = 10*time.Second, 10*time.Minute
	if got := readEvery(cfg, fleet.RoleVerdictLatency); got != 10*time.Second {
		t.Errorf("10m verdict window at a 10s refresh: every %v, want 10s", got)
	}
}
