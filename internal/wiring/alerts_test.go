package wiring

import (
	"testing"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/sources/alerts"
)

// Where alerts are read from: Alertmanager when configured, else the
// Prometheus-compatible server's rule evaluator; nothing for the built-in
// engine or a server configured as VictoriaMetrics (no rule evaluator).
func TestAlertSourceFromConfig(t *testing.T) {
	for _, c := range []struct {
		name              string
		prom, backend, am string
		targets           []string
		wantKind          string
	}{
		{"prometheus", "http://prom:9090", "", "", nil, alerts.KindRules},
		{"alertmanager", "http://prom:9090", "", "http://am:9093", nil, alerts.KindAlertmanager},
		{"victoriametrics", "http://vm:8428", "victoriametrics", "", nil, ""},
		{"victoriametrics with alertmanager", "http://vm:8428", "victoriametrics", "http://am:9093", nil, alerts.KindAlertmanager},
		{"built-in engine", "", "", "", []string{"http://127.0.0.1:1/metrics"}, ""},
		{"built-in engine with alertmanager", "", "", "http://am:9093", []string{"http://127.0.0.1:1/metrics"}, alerts.KindAlertmanager},
	} {
		cfg := config.DefaultEnv(func(string) string { return "" })
		cfg.Prometheus.URL, cfg.Prometheus.Backend, cfg.Alertmanager.URL = c.prom, c.backend, c.am
		cfg.Scrape.Targets = c.targets
		r, _, err := newAlerts(cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := ""
		if r != nil {
			got = r.Backend()
		}
		if got != c.wantKind {
			t.Errorf("%s: alert source %q, want %q", c.name, got, c.wantKind)
		}
	}
}
