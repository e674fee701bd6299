package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// phaseExporter serves one model version whose rates the test sets:
// counters grow at the current rates from scrape to scrape, and every
// sample carries the time it was served, which the exporter keeps.
type phaseExporter struct {
	mu        sync.Mutex
	rps, errs float64 // per second
	auc       float64
	last      time.Time
	total     float64
	failed    float64
	served    []time.Time
}

func (e *phaseExporter) set(rps, errs, auc float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rps, e.errs, e.auc = rps, errs, auc
}

// servedSince is the serve times after t.
func (e *phaseExporter) servedSince(t time.Time) []time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []time.Time
	for _, s := range e.served {
		if s.After(t) {
			out = append(out, s)
		}
	}
	return out
}

func (e *phaseExporter) lastServed() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.served) == 0 {
		return time.Time{}
	}
	return e.served[len(e.served)-1]
}

func (e *phaseExporter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	now := time.Now().Truncate(time.Millisecond)
	if !e.last.IsZero() {
		dt := now.Sub(e.last).Seconds()
		e.total += e.rps * dt
		e.failed += e.errs * dt
	}
	e.last = now
	e.served = append(e.served, now)
	ts := now.UnixMilli()
	mv := `model="fraud",version="7"`
	var b strings.Builder
	fmt.Fprintf(&b, "# TYPE model_predictions_total counter\nmodel_predictions_total{%s} %g %d\n", mv, e.total, ts)
	fmt.Fprintf(&b, "# TYPE model_prediction_errors_total counter\nmodel_prediction_errors_total{%s} %g %d\n", mv, e.failed, ts)
	fmt.Fprintf(&b, "# TYPE model_prediction_duration_seconds histogram\n")
	for _, le := range []struct {
		bound string
		share float64
	}{{"0.05", 0.5}, {"0.1", 0.9}, {"+Inf", 1}} {
		fmt.Fprintf(&b, "model_prediction_duration_seconds_bucket{%s,le=%q} %g %d\n", mv, le.bound, le.share*e.total, ts)
	}
	fmt.Fprintf(&b, "model_prediction_duration_seconds_sum{%s} %g %d\n", mv, 0.05*e.total, ts)
	fmt.Fprintf(&b, "model_prediction_duration_seconds_count{%s} %g %d\n", mv, e.total, ts)
	fmt.Fprintf(&b, "# TYPE model_performance gauge\nmodel_performance{%s,metric=\"auc\"} %g %d\n", mv, e.auc, ts)
	fmt.Fprintf(&b, "# TYPE model_traffic_weight gauge\nmodel_traffic_weight{%s,track=\"stable\"} 100 %d\n", mv, ts)
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = w.Write([]byte(b.String()))
}

// aboutNow are the snapshot JSON fields that are by nature about when a
// snapshot was made rather than the time it shows, dropped before a
// snapshot of T0 made later is compared with one taken at T0:
//   - live, look_back: what marks a look back;
//   - sources[].latency_ms, queries[].duration_ms: how long the calls took
//     when they were made;
//   - sources[].backend: the engine behind a server is detected in the
//     background from the first request on (whether detection had finished
//     is about when), and the alert source's says where past alerts come
//     from (the ALERTS series instead of the alerts API).
func aboutNow(doc map[string]any) {
	delete(doc, "live")
	delete(doc, "look_back")
	for _, key := range []string{"sources", "queries"} {
		list, _ := doc[key].([]any)
		for _, item := range list {
			m, _ := item.(map[string]any)
			delete(m, "latency_ms")
			delete(m, "duration_ms")
			delete(m, "backend")
		}
	}
}

func snapshotDocMap(t *testing.T, raw string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("snapshot JSON: %v\n%s", err, raw)
	}
	return doc
}

// TestSnapshotAtEqualsSnapshotTakenThen is the look back's promise: over a
// real Prometheus scraping an exporter whose rates the test changes, a
// snapshot taken at T0 and `mltop snapshot --at T0` made after the change
// say the same, apart from the fields about when they were made; and the
// live snapshot made then says something else.
func TestSnapshotAtEqualsSnapshotTakenThen(t *testing.T) {
	exp := &phaseExporter{}
	exp.set(20, 0.02, 0.91)
	srv := httptest.NewServer(exp)
	t.Cleanup(srv.Close)
	// One of mltop's rules (its name says so), firing once errors pass a
	// tenth of requests: the alerts of a look back are the ALERTS series
	// then, and none in it is "none" since the rule is loaded.
	rules := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(rules, []byte(`groups:
- name: lookback
  rules:
  - alert: MLTopFraudErrors
    expr: sum by (model, version) (rate(model_prediction_errors_total[10s])) / sum by (model, version) (rate(model_predictions_total[10s])) > 0.1
    labels: {severity: critical}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Targets: []string{srv.URL + "/metrics"}, Interval: time.Second,
		RuleFiles: []string{rules}, EvaluationInterval: time.Second,
	})
	cfgPath := writeConfig(t, fmt.Sprintf("window: 10s\nprometheus:\n  url: %s\n  recorded: false\n", prom.URL))
	prom.WaitFor(`count_over_time(model_predictions_total[10s])`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 9
	})

	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// As the commands build it: profiles detected first.
	app, err := wiring.New(wiring.Detect(context.Background(), cfg, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	then := takenThen(t, prom, exp, app)
	t0 := then.TakenAt

	// The world changes: errors at a fifth of requests.
	exp.set(20, 4, 0.91)
	prom.WaitFor(`sum(rate(model_prediction_errors_total[10s])) / sum(rate(model_predictions_total[10s]))`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value > 0.15
	})
	firing := prom.WaitFor(`ALERTS{alertname="MLTopFraudErrors",alertstate="firing"}`, 60*time.Second, func(v model.Vector) bool { return len(v) == 1 })

	var thenJSON strings.Builder
	if err := printSnapshot(&thenJSON, then, "json"); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	began := time.Now()
	if code := run([]string{"snapshot", "--config", cfgPath, "--format", "json", "--log-file", "-", "--at", t0.Format(time.RFC3339Nano)}, &out, &errb); code != exitOK {
		t.Fatalf("snapshot --at exit %d: %s", code, errb.String())
	}
	t.Logf("snapshot --at %s (%s back) took %s", t0.Format(time.RFC3339Nano), began.Sub(t0).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
	past := snapshotDocMap(t, out.String())
	if past["live"] != false || past["look_back"] == nil {
		t.Errorf("snapshot --at does not say it is not live: live=%v look_back=%v", past["live"], past["look_back"])
	}
	want := snapshotDocMap(t, thenJSON.String())
	if want["live"] != true || want["look_back"] != nil {
		t.Errorf("the snapshot taken then does not say it is live: live=%v look_back=%v", want["live"], want["look_back"])
	}
	aboutNow(past)
	aboutNow(want)
	if !reflect.DeepEqual(past, want) {
		a, _ := json.MarshalIndent(want, "", "  ")
		b, _ := json.MarshalIndent(past, "", "  ")
		t.Errorf("snapshot --at %s differs from the snapshot taken then\nthen:\n%s\n--at:\n%s", t0.Format(time.RFC3339Nano), a, b)
	}

	// The present is different, so the equality above says something.
	out.Reset()
	errb.Reset()
	if code := run([]string{"snapshot", "--config", cfgPath, "--format", "json", "--log-file", "-"}, &out, &errb); code != exitOK {
		t.Fatalf("snapshot exit %d: %s", code, errb.String())
	}
	now := snapshotDocMap(t, out.String())
	aboutNow(now)
	if reflect.DeepEqual(now, want) {
		t.Error("the live snapshot now equals the one taken before the errors rose: the comparison proves nothing")
	}

	// A look back to when the alert fired has it, from the ALERTS series.
	firedAt := firing[0].Timestamp.Time()
	snap, err := app.SnapshotAt(context.Background(), firedAt)
	if err != nil {
		t.Fatal(err)
	}
	if a := snap.Alerts; a == nil || !a.Known || a.Firing != 1 || len(snap.Models) != 1 || len(snap.Models[0].Alerts) != 1 ||
		snap.Models[0].Alerts[0].Name != "MLTopFraudErrors" || snap.Models[0].Alerts[0].Severity != "critical" {
		t.Errorf("alerts at %v: %+v, models %+v", firedAt, snap.Alerts, snap.Models)
	}
	if alerts := want["alerts"].(map[string]any); alerts["known"] != true || alerts["firing"] != float64(0) {
		t.Errorf("alerts at T0: %v, want known and none firing", alerts)
	}
}

// takenThen is a live snapshot taken when every sample served at or before
// it is in the server: right after a scrape is seen stored, and checked
// afterwards that no scrape was served between that one and the snapshot
// (else its sample might have been stored after the snapshot's queries ran).
func takenThen(t *testing.T, prom *testenv.Prometheus, exp *phaseExporter, app *wiring.App) (snap fleet.Snapshot) {
	t.Helper()
	for range 10 {
		last := exp.lastServed()
		prom.WaitFor(`timestamp(model_predictions_total)`, 10*time.Second, func(v model.Vector) bool {
			return len(v) == 1 && !v[0].Timestamp.Time().Before(last) && float64(v[0].Value) >= float64(last.UnixMilli())/1000
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		snap = app.Poller.PollOnce(ctx)
		cancel()
		stored := exp.servedSince(last)
		if len(stored) == 0 || stored[0].After(snap.TakenAt) {
			return snap
		}
	}
	t.Fatal("no snapshot could be taken between two scrapes in 10 tries")
	return snap
}

func TestSnapshotAtRefusesWithWords(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"snapshot", "--demo", "--at", "-1h"}, "the built-in engine has nothing at"},
		{[]string{"check", "--demo", "--at", "-1h"}, "set prometheus.url to look further back"},
		{[]string{"snapshot", "--demo", "--at", "2999-01-01T00:00"}, "--at: 2999-01-01 00:00:00 UTC is in the future"},
		{[]string{"snapshot", "--demo", "--at", "last tuesday"}, `--at: "last tuesday" is not a time`},
	} {
		var out, errb strings.Builder
		code := run(append(c.args, "--log-file", "-"), &out, &errb)
		if code != exitFailure || !strings.Contains(errb.String(), c.want) || out.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 saying %q", c.args, code, errb.String(), out.String(), c.want)
		}
	}
}
