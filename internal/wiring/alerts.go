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
	opts := alerts.Options{}
	var auth prometheus.Auth
	switch {
	case cfg.Alertmanager.URL != "":
		am := &cfg.Alertmanager
		opts = alerts.Options{URL: am.URL, Kind: alerts.KindAlertmanager, Timeout: am.Timeout}
		auth = prometheus.Auth{Headers: am.Headers, BearerTokenFile: am.BearerTokenFile,
			Username: am.BasicAuth.Username, PasswordFile: am.BasicAuth.PasswordFile,
			CAFile: am.TLS.CAFile, CertFile: am.TLS.CertFile, KeyFile: am.TLS.KeyFile, InsecureSkipTLS: am.TLS.InsecureSkipVerify}
	case cfg.Prometheus.URL != "" && cfg.Prometheus.Backend != prometheus.BackendVictoriaMetrics:
		p := &cfg.Prometheus
		opts = alerts.Options{URL: p.URL, Kind: alerts.KindRules, Timeout: p.Timeout}
		auth = prometheus.Auth{Headers: p.Headers, BearerTokenFile: p.BearerTokenFile,
			Username: p.BasicAuth.Username, PasswordFile: p.BasicAuth.PasswordFile,
			CAFile: p.TLS.CAFile, CertFile: p.TLS.CertFile, KeyFile: p.TLS.KeyFile, InsecureSkipTLS: p.TLS.InsecureSkipVerify}
	default:
		return nil, nil, nil
	}
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
