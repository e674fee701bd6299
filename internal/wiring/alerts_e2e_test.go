package wiring_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/alertscreen"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/detailscreen"
	"github.com/mltop/mltop/ui/fleetscreen"
	"github.com/mltop/mltop/ui/uitest"
)

// alertRules fire on fraud's 20 % error ratio within seconds, keep one
// alert pending (its for: is an hour) and fire one without a model label.
const alertRules = `groups:
  - name: mltop-e2e
    rules:
      - alert: ModelErrorRatioHigh
        expr: sum by (model, version) (rate(model_prediction_errors_total[10s])) / sum by (model, version) (rate(model_predictions_total[10s])) > 0.05
        for: 2s
        labels: {severity: critical}
        annotations:
          summary: 'error ratio {{ $value | humanizePercentage }} above 5%'
      - alert: ModelTrafficOdd
        expr: sum by (model, version) (rate(model_predictions_total[10s])) > 0
        for: 1h
        labels: {severity: warning}
        annotations: {summary: 'waits an hour before it fires'}
      - alert: Watchdog
        expr: vector(1)
        labels: {severity: none}
`

// startAlerting runs an exporter where fraud fails 20 % of requests,
// Alertmanager, and Prometheus evaluating alertRules every second and
// sending to it.
func startAlerting(t *testing.T) (*testenv.Prometheus, *testenv.Alertmanager) {
	t.Helper()
	am := testenv.StartAlertmanager(t)
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "fraud", Version: "7", Track: "stable", RPS: 50, ErrorsPerSec: 10, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}},
		{Model: "churn", Version: "3", Track: "stable", RPS: 20, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, nil)
	rules := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(rules, []byte(alertRules), 0o644); err != nil {
		t.Fatal(err)
	}
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Targets: []string{exp.URL}, Interval: time.Second,
		RuleFiles: []string{rules}, EvaluationInterval: time.Second, Alertmanagers: []string{am.URL},
	})
	return prom, am
}

func alertingApp(t *testing.T, promURL, amURL string) *wiring.App {
	t.Helper()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = promURL
	cfg.Alertmanager.URL = amURL
	cfg.Refresh = time.Second
	cfg.Audit.Path = filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// pollUntil polls until ok holds for a snapshot, or fails the test after
// limit with what the last snapshot said.
func pollUntil(t *testing.T, a *wiring.App, limit time.Duration, what string, ok func(fleet.Snapshot) bool) fleet.Snapshot {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		snap := a.Poller.PollOnce(context.Background())
		if ok(snap) {
			return snap
		}
		if time.Now().After(deadline) {
			b, _ := json.Marshal(snap.Alerts)
			t.Fatalf("after %s, still not %s; alerts: %s; sources: %+v", limit, what, b, snap.Sources)
		}
		<-tick.C
	}
}

func modelAlert(s fleet.Snapshot, model, name string) *fleet.Alert {
	for i := range s.Models {
		if s.Models[i].Name != model {
			continue
		}
		for k := range s.Models[i].Alerts {
			if s.Models[i].Alerts[k].Name == name {
				return &s.Models[i].Alerts[k]
			}
		}
	}
	return nil
}

// screens draws the fleet, the alerts screen and a model's detail over snap.
func screens(snap fleet.Snapshot, model string) (fleetView, alertsView, detailView string) {
	c := uitest.Common("dark")
	c.Now = snap.TakenAt
	c.Snapshot = &snap
	f := fleetscreen.New(c)
	f.SetSize(200, 30)
	al := alertscreen.New(c, "")
	al.SetSize(200, 30)
	d := detailscreen.New(c, model)
	d.SetSize(200, 50)
	d.Update(common.SnapshotMsg{Snapshot: snap})
	return ansi.Strip(f.View()), ansi.Strip(al.View()), ansi.Strip(d.View())
}

// TestAlertsFromPrometheusRules: a rule fires in a real Prometheus; mltop
// reads /api/v1/alerts once per refresh and shows the alert on the model,
// firing, beside a pending one, with the alert without a model counted.
func TestAlertsFromPrometheusRules(t *testing.T) {
	prom, _ := startAlerting(t)
	a := alertingApp(t, prom.URL, "")
	snap := pollUntil(t, a, 90*time.Second, "firing on fraud", func(s fleet.Snapshot) bool {
		al := modelAlert(s, "fraud", "ModelErrorRatioHigh")
		return al != nil && al.State == fleet.AlertFiring
	})
	al := modelAlert(snap, "fraud", "ModelErrorRatioHigh")
	if al.Version != "7" || al.Severity != "critical" || !strings.Contains(al.Summary, "above 5%") || al.Since.IsZero() {
		t.Errorf("the firing alert: %+v", al)
	}
	if p := modelAlert(snap, "churn", "ModelTrafficOdd"); p == nil || p.State != fleet.AlertPending {
		t.Errorf("churn's pending alert: %+v", p)
	}
	if modelAlert(snap, "churn", "ModelErrorRatioHigh") != nil {
		t.Error("churn fails nothing, yet has an error alert")
	}
	if snap.Alerts.Firing < 2 || len(snap.Alerts.Unattached) != 1 || snap.Alerts.Unattached[0].Name != "Watchdog" {
		t.Errorf("fleet-wide: %+v", snap.Alerts)
	}
	var src *fleet.SourceStatus
	for i := range snap.Sources {
		if snap.Sources[i].IsAlerts() {
			src = &snap.Sources[i]
		}
	}
	if src == nil || !src.OK || src.Backend != "rules" {
		t.Errorf("alert source status: %+v", src)
	}
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"name":"ModelErrorRatioHigh","state":"firing"`)) {
		t.Errorf("snapshot JSON lacks the firing alert: %s", b)
	}
	fleetView, alertsView, detailView := screens(snap, "fraud")
	if !strings.Contains(lineWith(fleetView, "fraud"), "🔔1") {
		t.Errorf("fleet screen:\n%s", fleetView)
	}
	for _, want := range []string{"firing", "ModelErrorRatioHigh", "fraud v7", "critical", "pending", "ModelTrafficOdd", "Watchdog"} {
		if !strings.Contains(alertsView, want) {
			t.Errorf("alerts screen lacks %q:\n%s", want, alertsView)
		}
	}
	if !strings.Contains(detailView, "🔔 firing ModelErrorRatioHigh v7 · critical") {
		t.Errorf("detail screen:\n%s", detailView)
	}
}

// TestAlertsSilencedInAlertmanager: Prometheus sends the alert to a real
// Alertmanager; mltop reads it there, and once a silence is created
// through Alertmanager's API, says who silenced it, until when and why.
func TestAlertsSilencedInAlertmanager(t *testing.T) {
	prom, am := startAlerting(t)
	a := alertingApp(t, prom.URL, am.URL)
	pollUntil(t, a, 90*time.Second, "firing on fraud in Alertmanager", func(s fleet.Snapshot) bool {
		al := modelAlert(s, "fraud", "ModelErrorRatioHigh")
		return al != nil && al.State == fleet.AlertFiring
	})
	ends := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	createSilence(t, am.URL, ends)
	snap := pollUntil(t, a, 30*time.Second, "silenced", func(s fleet.Snapshot) bool {
		al := modelAlert(s, "fraud", "ModelErrorRatioHigh")
		return al != nil && al.State == fleet.AlertSuppressed && len(al.SilencedBy) == 1 && al.SilencedBy[0].Author == "ana"
	})
	sil := modelAlert(snap, "fraud", "ModelErrorRatioHigh").SilencedBy[0]
	if sil.Comment != "deploy" || !sil.Ends.Equal(ends) || sil.ID == "" {
		t.Errorf("silence: %+v (want ends %s)", sil, ends)
	}
	if snap.Alerts.Suppressed != 1 {
		t.Errorf("fleet-wide: %+v", snap.Alerts)
	}
	_, alertsView, detailView := screens(snap, "fraud")
	until := common.ClockTime(ends, snap.TakenAt)
	if want := "ana until " + until + ": deploy"; !strings.Contains(alertsView, want) || !strings.Contains(detailView, "by "+want) {
		t.Errorf("screens do not say %q:\n%s\n%s", want, alertsView, detailView)
	}
	if !strings.Contains(lineWith(alertsView, "ModelErrorRatioHigh"), "silenced") {
		t.Errorf("alerts screen:\n%s", alertsView)
	}
}

// createSilence silences fraud's error alert as ana, through
// Alertmanager's API.
func createSilence(t *testing.T, amURL string, ends time.Time) {
	t.Helper()
	body := fmt.Sprintf(`{"matchers":[{"name":"model","value":"fraud","isRegex":false,"isEqual":true},
{"name":"alertname","value":"ModelErrorRatioHigh","isRegex":false,"isEqual":true}],
"startsAt":%q,"endsAt":%q,"createdBy":"ana","comment":"deploy"}`,
		time.Now().UTC().Format(time.RFC3339), ends.Format(time.RFC3339))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, amURL+"/api/v2/silences", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create silence: HTTP %d", resp.StatusCode)
	}
}

func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
