package wiring

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
)

// A config file tried on the demo gives its judgement; the demo keeps its
// own sources and windows, which its simulation depends on.
func TestDemoJudgementTakesTheFilesJudgementOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mltop.yaml")
	yaml := `prometheus: {url: "http://127.0.0.1:9"}
thresholds: {error_rate: 0.01, min_labels: 7}
drift: {window: 6h, share: 0.3, min_per_bucket: 0, thresholds: {psi: 0.2}}
estimate: {threshold: 0.7, health: "off"}
verdict: {alpha: 0.01, window: 3h}
theme: light
read_only: true
data_quality: {missing_floor: 0.05}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Scrape.Targets = []string{"http://127.0.0.1:1/metrics"}
	cfg.Drift.Window = 2 * time.Minute
	DemoJudgement(cfg, file)
	if cfg.Thresholds.ErrorRate != 0.01 || cfg.Thresholds.MinLabels != 7 {
		t.Errorf("thresholds %+v, want the file's", cfg.Thresholds)
	}
	if cfg.Drift.Share != 0.3 || cfg.Drift.MinPerBucket != 0 || cfg.Drift.Thresholds["psi"] != 0.2 {
		t.Errorf("drift %+v, want the file's share, minimum and thresholds", cfg.Drift)
	}
	if cfg.Estimate.Threshold != 0.7 || cfg.Estimate.Health != "off" || cfg.Verdict.Alpha != 0.01 {
		t.Errorf("estimate %+v verdict %+v, want the file's", cfg.Estimate, cfg.Verdict)
	}
	if cfg.DataQuality.MissingFloor != 0.05 || cfg.DataQuality.MissingSigmas != config.DefaultMissingSigmas {
		t.Errorf("data quality %+v, want the file's floor", cfg.DataQuality)
	}
	if cfg.Theme != "light" || !cfg.ReadOnly {
		t.Errorf("theme %q read_only %v, want the file's", cfg.Theme, cfg.ReadOnly)
	}
	if cfg.Drift.Window != 2*time.Minute || cfg.Verdict.Window == 3*time.Hour || cfg.Prometheus.URL != "" || len(cfg.Scrape.Targets) != 1 {
		t.Errorf("windows or sources taken from the file: drift.window %s verdict.window %s prometheus %q targets %v",
			cfg.Drift.Window, cfg.Verdict.Window, cfg.Prometheus.URL, cfg.Scrape.Targets)
	}
}
