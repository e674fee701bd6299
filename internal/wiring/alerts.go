package wiring

import (
	"fmt"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/sources/alerts"
	"github.com/mltop/mltop/sources/prometheus"
)

// newAlerts is where the dashboard reads alerts: Alertmanager when
// alertmanager.url is set, else the Prometheus-compatible server's rule
// evaluator (through the same auth and tenant header as its queries); nil
// with neither (the built-in engine evaluates no rules), and for a server
// configured as VictoriaMetrics (prometheus.backend), which has no rule
// evaluator of its own (vmalert is another server). The transport's
// idle connections are to be closed with the app.
func newAlerts(cfg *config.Config) (*alerts.Reader, interface{ CloseIdleConnections() }, error) {
	if cfg.Alertmanager.URL == "" {
		return newRuleReader(cfg)
	}
	am := &cfg.Alertmanager
	return newAlertReader(alerts.Options{URL: am.URL, Kind: alerts.KindAlertmanager, Timeout: am.Timeout},
		prometheus.Auth{Headers: am.Headers, BearerTokenFile: am.BearerTokenFile,
			Username: am.BasicAuth.Username, PasswordFile: am.BasicAuth.PasswordFile,
			CAFile: am.TLS.CAFile, CertFile: am.TLS.CertFile, KeyFile: am.TLS.KeyFile, InsecureSkipTLS: am.TLS.InsecureSkipVerify})
}

// newRuleReader is the Prometheus-compatible server's rule evaluator
// (through the same auth and tenant header as its queries); nil when
// there is none (no prometheus.url, or VictoriaMetrics). A look back asks
// it which rules are loaded even when live alerts come from Alertmanager.
func newRuleReader(cfg *config.Config) (*alerts.Reader, interface{ CloseIdleConnections() }, error) {
	if cfg.Prometheus.URL == "" || cfg.Prometheus.Backend == prometheus.BackendVictoriaMetrics {
		return nil, nil, nil
	}
	p := &cfg.Prometheus
	return newAlertReader(alerts.Options{URL: p.URL, Kind: alerts.KindRules, Timeout: p.Timeout},
		prometheus.Auth{Headers: p.Headers, BearerTokenFile: p.BearerTokenFile,
			Username: p.BasicAuth.Username, PasswordFile: p.BasicAuth.PasswordFile,
			CAFile: p.TLS.CAFile, CertFile: p.TLS.CertFile, KeyFile: p.TLS.KeyFile, InsecureSkipTLS: p.TLS.InsecureSkipVerify})
}

func newAlertReader(opts alerts.Options, auth prometheus.Auth) (*alerts.Reader, interface{ CloseIdleConnections() }, error) {
	rt, err := prometheus.Transport(auth)
	if err != nil {
		return nil, nil, fmt.Errorf("alerts (%s): %w", opts.Kind, err)
	}
	opts.Transport = rt
	r, err := alerts.New(opts)
	if err != nil {
		return nil, nil, err
	}
	idle, _ := rt.(interface{ CloseIdleConnections() })
	return r, idle, nil
}
