package conformance

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/alerts"
	"github.com/mltop/mltop/sources/prometheus"
)

// errorRule fires, within seconds, on any version failing more than 5 %
// of its requests.
const errorRule = `name: mltop-conformance
interval: 1s
rules:
  - alert: ModelErrorRatioHigh
    expr: sum by (model, version) (rate(model_prediction_errors_total[15s])) / sum by (model, version) (rate(model_predictions_total[15s])) > 0.05
    labels: {severity: critical}
    annotations: {summary: 'error ratio above 5%'}
`

// failing is one version failing 20 % of its requests.
var failing = []testenv.LinearSeries{{Model: "fraud", Version: "7", Track: "stable", RPS: 50, ErrorsPerSec: 10, Weight: 100,
	LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}}}

// waitFiring reads alerts through r until fraud's error alert fires.
func waitFiring(t *testing.T, r *alerts.Reader, limit time.Duration) fleet.Alert {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last []fleet.Alert
	var lastErr error
	for time.Now().Before(deadline) {
		as, _, err := r.Alerts(context.Background())
		for _, a := range as {
			if a.Name == "ModelErrorRatioHigh" && a.Model == "fraud" && a.State == fleet.AlertFiring {
				return a
			}
		}
		last, lastErr = as, err
		time.Sleep(500 * time.Millisecond) // polling an external server
	}
	t.Fatalf("no firing alert within %s: last read %+v, %v", limit, last, lastErr)
	return fleet.Alert{}
}

func reader(t *testing.T, url string, headers map[string]string) *alerts.Reader {
	t.Helper()
	rt, err := prometheus.Transport(prometheus.Auth{Headers: headers})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		t.Cleanup(c.CloseIdleConnections)
	}
	r, err := alerts.New(alerts.Options{URL: url, Kind: alerts.KindRules, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAlertsThroughThanos: Thanos Query answers /api/v1/alerts from its
// sidecar's rules API, under the URL its queries use.
func TestAlertsThroughThanos(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, failing, nil)
	rules := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(rules, []byte("groups:\n  - "+strings.ReplaceAll(strings.TrimSpace(errorRule), "\n", "\n    ")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	th := testenv.StartThanosWith(t, testenv.PrometheusConfig{Targets: []string{exp.URL}, Interval: scrapeInterval,
		RuleFiles: []string{rules}, EvaluationInterval: time.Second})
	a := waitFiring(t, reader(t, th.URL, nil), 90*time.Second)
	if a.Version != "7" || a.Severity != "critical" || a.Since.IsZero() {
		t.Errorf("alert through Thanos: %+v", a)
	}
}

// TestAlertsThroughMimirRuler: the Mimir ruler answers /api/v1/alerts
// under the /prometheus prefix its queries use, for the tenant the header
// names.
func TestAlertsThroughMimirRuler(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, failing, nil)
	m := testenv.StartMimir(t, []string{exp.URL}, scrapeInterval, "ml")
	headers := map[string]string{testenv.TenantHeader: "ml"}
	uploadRules(t, m.Base+"/prometheus/config/v1/rules/mltop", headers)
	a := waitFiring(t, reader(t, m.URL, headers), 150*time.Second)
	if a.Version != "7" || a.Severity != "critical" {
		t.Errorf("alert through Mimir: %+v", a)
	}
	// Without the tenant, the ruler refuses: said in words.
	_, _, err := reader(t, m.URL, nil).Alerts(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("without the tenant header: %v", err)
	}
}

// uploadRules stores errorRule in Mimir's ruler for the tenant.
func uploadRules(t *testing.T, url string, headers map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(errorRule))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/yaml")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("upload rules: HTTP %d", resp.StatusCode)
	}
}
