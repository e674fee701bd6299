package main

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
)

// Every panel of the dashboard, evaluated by a real Prometheus as Grafana
// would with every model selected, shows the numbers mltop's snapshot
// shows for the same versions, and the exporter's known values.
func TestGrafanaPanelsMatchTheSnapshot(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "alpha", Version: "1", Track: "stable", RPS: 20, ErrorsPerSec: 0.5, Weight: 80,
			LatencyBounds: []float64{0.05, 0.1, 0.25, 0.5}, LatencyShares: []float64{0.5, 0.8, 0.95, 0.99},
			Performance: map[string]float64{"auc": 0.87}, LabeledShare: 0.3, DriftPSI: map[string]float64{"tenure": 0.27, "plan": 0.02}},
		{Model: "alpha", Version: "2", Track: "canary", RPS: 5, ErrorsPerSec: 0.05, Weight: 20,
			LatencyBounds: []float64{0.05, 0.1, 0.25, 0.5}, LatencyShares: []float64{0.3, 0.6, 0.9, 0.97},
			Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.1},
		{Model: "beta", Version: "7", Track: "stable", RPS: 100, Weight: 100,
			LatencyBounds: []float64{0.01, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, nil)
	kserve := startKServeExporter(t, "iris", 4)
	prom := testenv.StartPrometheus(t, []string{exp.URL, kserve}, time.Second)
	// The 10s window filled end to end: rates are the exporter's exactly.
	for _, q := range []string{"count_over_time(model_predictions_total[15s])", "count_over_time(request_predict_seconds_count[15s])"} {
		prom.WaitFor(q, 60*time.Second, func(v model.Vector) bool {
			return len(v) > 0 && v[0].Value >= 13
		})
	}
	// No profile written: both commands detect them on the server. KServe
	// names the model in model_name, which its profile copies to model.
	cfg := writeConfig(t, fmt.Sprintf("window: 10s\nprometheus:\n  url: %s\n", prom.URL))
	dash := runGrafana(t, "--config", cfg)
	if !strings.Contains(dash.Description, "profiles mltop, kserve, detected on") {
		t.Errorf("description %q does not say the profiles were detected", dash.Description)
	}
	doc, _ := runSnapshot(t, "--config", cfg)
	takenAt, err := time.Parse(time.RFC3339, doc.TakenAt)
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]versionDoc{}
	for _, m := range doc.Models {
		for _, v := range m.Versions {
			versions[m.Name+"/"+v.Version] = v
		}
	}
	if len(versions) != 4 {
		t.Fatalf("snapshot versions %v", versions)
	}

	// mltop's value of a role for one answered series; nil when it has none.
	mltop := func(role string, v versionDoc, s model.Metric) *float64 {
		switch role {
		case "request_rate":
			return v.RequestsPerSecond
		case "error_ratio":
			return v.ErrorRate
		case "latency_p50":
			return v.Latency.P50
		case "latency_p95":
			return v.Latency.P95
		case "latency_p99":
			return v.Latency.P99
		case "latency_mean":
			return v.Latency.Mean
		case "traffic_weight":
			return v.TrafficWeight
		case "labeled_fraction":
			return v.GroundTruth.LabeledFraction
		case "label_delay_p50":
			return v.GroundTruth.DelayP50Seconds
		case "label_delay_p95":
			return v.GroundTruth.DelayP95Seconds
		case "label_age":
			return v.GroundTruth.LastLabelAgeSeconds
		case "performance":
			if x, ok := v.Performance[string(s["metric"])]; ok {
				return &x
			}
		case "drift_score":
			if v.Drift != nil {
				for _, f := range v.Drift.Features {
					if f.Feature == string(s["feature"]) && f.Method == string(s["method"]) {
						return &f.Score
					}
				}
			}
		}
		return nil
	}
	// The exporter's truth for alpha/1, where it is exact.
	truth := map[string]float64{"request_rate": 20, "error_ratio": 0.025, "latency_p50": 0.05, "latency_mean": 0.05,
		"traffic_weight": 80, "labeled_fraction": 0.3, "label_delay_p50": 3600}

	compared := map[string]int{}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			// What Grafana sends with "All" selected.
			expr := strings.ReplaceAll(tg.Expr, "$model", ".*")
			answer := prom.Query(expr, takenAt)
			if len(answer) == 0 {
				t.Errorf("panel %q role %s: no series from %s", p.Title, tg.RefID, expr)
			}
			for _, s := range answer {
				key := string(s.Metric["model"]) + "/" + string(s.Metric["version"])
				v, ok := versions[key]
				if !ok {
					t.Errorf("panel %q role %s: series %s is no version of the snapshot", p.Title, tg.RefID, s.Metric)
					continue
				}
				got := float64(s.Value)
				want := mltop(tg.RefID, v, s.Metric)
				if want == nil {
					t.Errorf("panel %q role %s %s: Grafana %g, mltop has none", p.Title, tg.RefID, s.Metric, got)
					continue
				}
				tol := math.Abs(*want) * 1e-9
				if tg.RefID == "label_age" {
					tol = 1.01 // moves with the clock; taken_at has 1s resolution
				}
				if math.Abs(got-*want) > tol {
					t.Errorf("panel %q role %s %s: Grafana %g, mltop %g", p.Title, tg.RefID, s.Metric, got, *want)
				}
				if x, ok := truth[tg.RefID]; ok && key == "alpha/1" && !near(got, x, 1e-9) {
					t.Errorf("panel %q role %s alpha/1: %g, the exporter's truth %g", p.Title, tg.RefID, got, x)
				}
				compared[tg.RefID]++
			}
		}
	}
	for _, role := range graphedRoles {
		if compared[role] == 0 {
			t.Errorf("role %s: no panel value compared", role)
		}
	}
	if compared["request_rate"] != 4 || compared["drift_score"] != 2 || compared["performance"] != 2 {
		t.Errorf("compared %v", compared)
	}

	// One model selected, as Grafana sends it: each panel shows that
	// model's series only, also for the profile that renames its label.
	for _, name := range []string{"alpha", "iris"} {
		shown := 0
		for _, p := range dash.Panels {
			for _, tg := range p.Targets {
				for _, s := range prom.Query(strings.ReplaceAll(tg.Expr, "$model", name), takenAt) {
					if string(s.Metric["model"]) != name {
						t.Errorf("panel %q role %s with model %s selected shows %s", p.Title, tg.RefID, name, s.Metric)
					}
					shown++
				}
			}
		}
		if v := prom.Query(strings.ReplaceAll(panelExpr(dash, "request_rate"), "$model", name), takenAt); len(v) == 0 {
			t.Errorf("no request rate for model %s selected (%d series in all)", name, shown)
		}
	}
	if iris := versions["iris/"].RequestsPerSecond; iris == nil || !near(*iris, 4, 1e-9) {
		t.Errorf("iris request rate %v, want 4", iris)
	}
}

// startKServeExporter serves KServe's predict histogram
// (request_predict_seconds, labelled model_name) for one model, counters
// linear in the explicit timestamps: rps requests a second, half within
// 50ms, all within 100ms.
func startKServeExporter(t *testing.T, name string, rps float64) string {
	t.Helper()
	start := time.Now().Add(-10 * time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		ts := time.Now().UnixMilli()
		n := rps * float64(ts-start.UnixMilli()) / 1000
		var b strings.Builder
		b.WriteString("# TYPE request_predict_seconds histogram\n")
		for _, bk := range []struct {
			le    string
			share float64
		}{{"0.05", 0.5}, {"0.1", 1}, {"+Inf", 1}} {
			fmt.Fprintf(&b, "request_predict_seconds_bucket{model_name=%q,le=%q} %g %d\n", name, bk.le, bk.share*n, ts)
		}
		fmt.Fprintf(&b, "request_predict_seconds_sum{model_name=%q} %g %d\n", name, 0.04*n, ts)
		fmt.Fprintf(&b, "request_predict_seconds_count{model_name=%q} %g %d\n", name, n, ts)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/metrics"
}
