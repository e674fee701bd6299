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
	// Service-level objectives the healthy versions meet with room to
	// spare (p95 at most 60ms, errors at most 0.5 %, a tenth of the
	// budget), and the incident's v8 does not: 30 % of its requests take
	// longer than 500ms, and its 6 % errors burn a 99.5 % budget 12× as
	// fast as allowed.
	cfg.Thresholds.LatencyP95 = 500 * time.Millisecond
	cfg.Thresholds.Availability = 0.995
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

// DemoJudgement lays a config file's judgement over a demo config: its
// thresholds, drift verdict keys, data-quality alarms, estimate and verdict keys, actions'
// confirmation rules, theme and read_only, so that they can be tried on
// the demo fleet. Sources, windows and the drift reference stay the
// demo's: they are tied to how its simulation runs.
func DemoJudgement(cfg, file *config.Config) {
	cfg.Thresholds = file.Thresholds
	cfg.Drift.Method, cfg.Drift.Share = file.Drift.Method, file.Drift.Share
	cfg.Drift.Thresholds, cfg.Drift.MinPerBucket = file.Drift.Thresholds, file.Drift.MinPerBucket
	cfg.Estimate.Threshold, cfg.Estimate.MaxECE, cfg.Estimate.Health = file.Estimate.Threshold, file.Estimate.MaxECE, file.Estimate.Health
	cfg.Verdict.Alpha = file.Verdict.Alpha
	cfg.Actions.RequireReason, cfg.Actions.TypedName = file.Actions.RequireReason, file.Actions.TypedName
	cfg.Theme, cfg.ReadOnly = file.Theme, file.ReadOnly
	cfg.DataQuality = file.DataQuality
}
