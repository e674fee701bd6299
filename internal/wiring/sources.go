package wiring

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/sources/embedded"
	"github.com/mltop/mltop/sources/prometheus"
)

// newPrometheus is the Prometheus-compatible server of the config, with
// its transport's idle connections to close when the app closes (nil when
// the transport keeps none).
func newPrometheus(cfg *config.Config, log *slog.Logger) (*prometheus.Source, interface{ CloseIdleConnections() }, error) {
	rt, err := prometheus.Transport(prometheus.Auth{
		Headers: cfg.Prometheus.Headers, BearerTokenFile: cfg.Prometheus.BearerTokenFile,
		Username: cfg.Prometheus.BasicAuth.Username, PasswordFile: cfg.Prometheus.BasicAuth.PasswordFile,
		CAFile: cfg.Prometheus.TLS.CAFile, CertFile: cfg.Prometheus.TLS.CertFile, KeyFile: cfg.Prometheus.TLS.KeyFile,
		InsecureSkipTLS: cfg.Prometheus.TLS.InsecureSkipVerify,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("prometheus: %w", err)
	}
	idle, _ := rt.(interface{ CloseIdleConnections() })
	src, err := prometheus.New(prometheus.Options{URL: cfg.Prometheus.URL, Transport: rt, Timeout: cfg.Prometheus.Timeout, Logger: log, Backend: cfg.Prometheus.Backend,
		MaxAnswerBytes: int64(cfg.Prometheus.MaxAnswerMiB) << 20,
	})
	if err != nil {
		return nil, nil, err
	}
	return src, idle, nil
}

// newEngine is the built-in engine over the config's scrape targets.
func newEngine(cfg *config.Config, log *slog.Logger) (*embedded.Engine, error) {
	eng, err := embedded.New(embedded.Options{
		Targets: cfg.Scrape.Targets, Interval: cfg.Scrape.Interval, Timeout: cfg.Scrape.Timeout,
		Retention: retention(cfg), Logger: log.With("source", "embedded"),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded engine: %w", err)
	}
	return eng, nil
}

// retention keeps enough history for a day of graphs plus the longest window.
func retention(cfg *config.Config) time.Duration {
	r := 24*time.Hour + cfg.Window
	if d := cfg.Drift.Window; d > cfg.Window {
		r = 24*time.Hour + d
	}
	return r
}
