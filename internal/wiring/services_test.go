package wiring

import (
	"path/filepath"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// TestServicesAreNilWhenAbsent: a service the sources cannot provide is a
// nil interface, so the dashboard, handed it as it is, shows "no graphs"
// rather than calling into a nil pointer; one they can provide is there.
func TestServicesAreNilWhenAbsent(t *testing.T) {
	base := func() *config.Config {
		cfg := config.DefaultEnv(func(string) string { return "" })
		cfg.Audit.Path = filepath.Join(t.TempDir(), "audit.jsonl")
		return cfg
	}
	for _, tc := range []struct {
		name                  string
		cfg                   func() *config.Config
		history, driftHistory bool
	}{
		{"registry only", func() *config.Config {
			cfg := base()
			cfg.MLflow.TrackingURI = "http://127.0.0.1:1"
			return cfg
		}, false, false},
		{"engine without feature histograms", func() *config.Config {
			cfg := base()
			cfg.Scrape.Targets = []string{"http://127.0.0.1:1/metrics"}
			cfg.Prometheus.Queries = map[string]string{"feature_buckets": "", "feature_categories": ""}
			return cfg
		}, true, false},
		{"engine", func() *config.Config {
			cfg := base()
			cfg.Scrape.Targets = []string{"http://127.0.0.1:1/metrics"}
			return cfg
		}, true, true},
	} {
		a, err := New(tc.cfg(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if (a.History != nil) != tc.history || (a.DriftHistory != nil) != tc.driftHistory {
			t.Errorf("%s: history %v, drift history %v; want %v, %v", tc.name, a.History != nil, a.DriftHistory != nil, tc.history, tc.driftHistory)
		}
		if a.Actions == nil {
			t.Errorf("%s: no action executor", tc.name)
		}
		// Serving history needs range queries, as the graphs do.
		if (a.ServedHistory() != nil) != tc.history || (a.ServedOneModel() != nil) != tc.history {
			t.Errorf("%s: serving history %v, want %v", tc.name, a.ServedHistory() != nil, tc.history)
		}
		a.Close()
	}
}
