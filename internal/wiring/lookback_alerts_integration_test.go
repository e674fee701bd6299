package wiring_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// quietRule is one of mltop's rules that does not fire over a fleet
// without errors.
const quietRule = `groups:
  - name: mltop
    rules:
      - alert: MLTopErrorRatioHigh
        expr: sum by (model, version) (rate(model_prediction_errors_total[10s])) / sum by (model, version) (rate(model_predictions_total[10s])) > 0.1
        labels: {severity: critical}
`

// The alerts of a look back over a real Prometheus: an empty ALERTS
// series is "none" only when the server has mltop's rules; without them
// no rule could have fired, and the alerts are unknown with why — also
// when live alerts come from Alertmanager.
func TestSnapshotAtPastAlertsNeedMLTopRules(t *testing.T) {
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "fraud", Version: "7", Track: "stable", RPS: 20, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, nil)
	rules := filepath.Join(t.TempDir(), "mltop.yml")
	if err := os.WriteFile(rules, []byte(quietRule), 0o600); err != nil {
		t.Fatal(err)
	}
	bare := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	withRules := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Targets: []string{exp.URL}, Interval: time.Second, RuleFiles: []string{rules}, EvaluationInterval: time.Second,
	})
	for _, p := range []*testenv.Prometheus{bare, withRules} {
		p.WaitFor(`count_over_time(model_predictions_total[10s])`, 60*time.Second, func(v model.Vector) bool {
			return len(v) == 1 && v[0].Value >= 3
		})
	}
	for _, c := range []struct {
		name, url, alertmanager string
		known                   bool
		why                     string
	}{
		{"no rules", bare.URL, "", false, "none of mltop's alerting rules"},
		{"mltop's rules", withRules.URL, "", true, ""},
		// Alertmanager is never asked for the past: the rules are
		// still the Prometheus server's.
		{"no rules, live alerts from Alertmanager", bare.URL, "http://127.0.0.1:1", false, "none of mltop's alerting rules"},
		{"mltop's rules, live alerts from Alertmanager", withRules.URL, "http://127.0.0.1:1", true, ""},
	} {
		cfg := config.DefaultEnv(func(string) string { return "" })
		cfg.Prometheus.URL, cfg.Alertmanager.URL = c.url, c.alertmanager
		cfg.Window = 10 * time.Second
		cfg.Audit.Path = filepath.Join(t.TempDir(), "audit.jsonl")
		a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		snap, err := a.SnapshotAt(ctx, time.Now().Add(-2*time.Second))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		al := snap.Alerts
		switch {
		case al == nil:
			t.Errorf("%s: no alerts status", c.name)
		case c.known && (!al.Known || al.Firing != 0 || al.Pending != 0):
			t.Errorf("%s: alerts %+v, want known, none", c.name, *al)
		case !c.known && (al.Known || !strings.Contains(al.Error, c.why)):
			t.Errorf("%s: alerts %+v, want unknown saying %q", c.name, *al, c.why)
		case !c.known && !strings.Contains(strings.Join(snap.LookBack.Notes, "; "), "alerts unknown"):
			t.Errorf("%s: notes %q, want the alerts said unknown", c.name, snap.LookBack.Notes)
		}
		if !c.known {
			for _, m := range snap.Models {
				if len(m.Alerts) != 0 {
					t.Errorf("%s: %s has alerts %+v", c.name, m.Name, m.Alerts)
				}
			}
		}
	}
}
