package wiring

import (
	"path/filepath"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
)

// DemoConfig points a default config at a running demo fleet: its
// exporters scraped by the built-in engine, its registry, its webhook.
func DemoConfig(f *demo.Fleet) *config.Config {
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Scrape.Targets = f.Targets()
	// Short intervals so rates are right within seconds of start: rate()
	// needs its whole window scraped. Ten samples per window keeps them steady.
	cfg.Scrape.Interval = time.Second
	cfg.Scrape.Timeout = time.Second
	cfg.Window = 10 * time.Second
	cfg.Refresh = 2 * time.Second
	// Drift is computed against the versions' registry profiles, which the
	// demo stores; a short window fills within minutes of real traffic
	// (the story, sixty times faster, drifts in story time).
	cfg.Drift.Window = 2 * time.Minute
	// The exporters replay a week of labelled scores in their first 30
	// seconds; an hour's window holds it, and is re-read every minute
	// (a week's only every few hours), so the estimate settles quickly.
	cfg.Estimate.CalibrationWindow = time.Hour
	cfg.MLflow.TrackingURI = f.RegistryURL()
	cfg.MLflow.Refresh = 5 * time.Second
	cfg.Actions.Retrain.Kind = "webhook"
	cfg.Actions.Retrain.URL = f.WebhookURL()
	cfg.Actions.Retrain.Timeout = config.DefaultActionTimeout
	// The demo's actions act on a simulated world: keep them out of the
	// real audit log.
	cfg.Audit.Path = filepath.Join(StateDir(), "demo-audit.jsonl")
	return cfg
}
