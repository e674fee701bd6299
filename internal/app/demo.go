package app

import (
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
	cfg.MLflow.TrackingURI = f.RegistryURL()
	cfg.MLflow.Refresh = 5 * time.Second
	cfg.Actions.Retrain.Kind = "webhook"
	cfg.Actions.Retrain.URL = f.WebhookURL()
	return cfg
}
