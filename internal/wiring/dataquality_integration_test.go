package wiring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// dqBuckets are tenure's bucket bounds, as le writes them.
var dqBuckets = []string{"1", "2", "3", "4", "+Inf"}

// dqExporter serves churn v3 now. Per scrape every counter grows by the
// same amount, so whatever increase() extrapolates the shares are exact:
// 100 predictions, of which 5 without tenure (5 % missing); tenure's 95
// values fall 30, 26, 20, 12, 7 in buckets ≤1, 1–2, 2–3, 3–4 and above 4,
// where the reference had nothing above 3: 19 of 95, 20 % out of range;
// plan basic 50, pro 30 and two categories the reference never saw, gold
// 15 and trial 5 (20 % unseen); a new feature, coupon; and no region,
// which the reference has: silent.
func dqExporter(t *testing.T) *httptest.Server {
	t.Helper()
	tenure := []int{30, 56, 76, 88, 95} // cumulative per scrape
	var scrapes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := int(scrapes.Add(1))
		var b strings.Builder
		lbl := `model="churn",version="3"`
		fmt.Fprintf(&b, "# TYPE model_predictions_total counter\nmodel_predictions_total{%s} %d\n", lbl, 100*k)
		fmt.Fprintf(&b, "# TYPE model_feature_missing_total counter\n")
		fmt.Fprintf(&b, "model_feature_missing_total{%s,feature=\"tenure\"} %d\n", lbl, 5*k)
		fmt.Fprintf(&b, "model_feature_missing_total{%s,feature=\"plan\"} 0\n", lbl)
		fmt.Fprintf(&b, "# TYPE model_feature_value histogram\n")
		for i, le := range dqBuckets {
			fmt.Fprintf(&b, "model_feature_value_bucket{%s,feature=\"tenure\",le=%q} %d\n", lbl, le, k*tenure[i])
		}
		fmt.Fprintf(&b, "model_feature_value_count{%s,feature=\"tenure\"} %d\n", lbl, k*95)
		fmt.Fprintf(&b, "# TYPE model_feature_category_total counter\n")
		for _, c := range []struct {
			feature, category string
			n                 int
		}{{"plan", "basic", 50}, {"plan", "pro", 30}, {"plan", "gold", 15}, {"plan", "trial", 5}, {"coupon", "yes", 10}} {
			fmt.Fprintf(&b, "model_feature_category_total{%s,feature=%q,category=%q} %d\n", lbl, c.feature, c.category, k*c.n)
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dqReference is churn v3 an hour and more ago, backfilled: per 15 s step
// 100 predictions, 1 without tenure (p₀ = 1 %); tenure 40, 30, 29 in the
// buckets ≤1, 1–2, 2–3 and none above 3; plan basic 60, pro 40; region 100.
func dqReference(from, to time.Time) string {
	var b strings.Builder
	lbl := `model="churn",version="3"`
	steps := func(line func(k int, ts int64)) {
		k := 0
		for at := from; !at.After(to); at = at.Add(15 * time.Second) {
			k++
			line(k, at.Unix())
		}
	}
	b.WriteString("# TYPE model_predictions counter\n")
	steps(func(k int, ts int64) { fmt.Fprintf(&b, "model_predictions_total{%s} %d %d\n", lbl, 100*k, ts) })
	b.WriteString("# TYPE model_feature_missing counter\n")
	for _, f := range []struct {
		feature string
		n       int
	}{{"tenure", 1}, {"plan", 0}, {"region", 0}} {
		steps(func(k int, ts int64) {
			fmt.Fprintf(&b, "model_feature_missing_total{%s,feature=%q} %d %d\n", lbl, f.feature, f.n*k, ts)
		})
	}
	b.WriteString("# TYPE model_feature_value_bucket unknown\n")
	for _, f := range []struct {
		feature string
		les     []string
		cum     []int
	}{{"tenure", dqBuckets, []int{40, 70, 99, 99, 99}}, {"region", []string{"10", "+Inf"}, []int{50, 100}}} {
		for i, le := range f.les {
			steps(func(k int, ts int64) {
				fmt.Fprintf(&b, "model_feature_value_bucket{%s,feature=%q,le=%q} %d %d\n", lbl, f.feature, le, k*f.cum[i], ts)
			})
		}
	}
	b.WriteString("# TYPE model_feature_category counter\n")
	for _, c := range []struct {
		category string
		n        int
	}{{"basic", 60}, {"pro", 40}} {
		steps(func(k int, ts int64) {
			fmt.Fprintf(&b, "model_feature_category_total{%s,feature=\"plan\",category=%q} %d %d\n", lbl, c.category, k*c.n, ts)
		})
	}
	return b.String() + "# EOF\n"
}

// TestDataQualityThroughPrometheus: a real Prometheus holds churn v3's
// reference an hour ago (backfilled with promtool) and scrapes its broken
// inputs now. The snapshot's data_quality has the shares worked above,
// the missing alarm's limit is p₀ + 3·√(p₀(1−p₀)/n) for the window's n,
// region is silent and critical, and check reports every one as a breach.
func TestDataQualityThroughPrometheus(t *testing.T) {
	start := time.Now().Truncate(time.Second)
	srv := dqExporter(t)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Targets: []string{srv.URL + "/metrics"}, Interval: time.Second,
		Backfill: dqReference(start.Add(-95*time.Minute), start.Add(-55*time.Minute))})
	prom.WaitFor(`count_over_time(model_predictions_total{job="mltop"}[20s])`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 5
	})
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = prom.URL
	cfg.Prometheus.Timeout = 5 * time.Second
	cfg.Window = 15 * time.Second
	cfg.Drift.Window = 20 * time.Second
	cfg.Drift.Reference = config.Reference{Offset: time.Hour, Window: 30 * time.Minute}
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	snap := a.Poller.PollOnce(context.Background())
	for _, q := range snap.Queries {
		if !q.OK {
			t.Fatalf("query %s: %s", q.Name, q.Error)
		}
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	type feature struct {
		Feature    string   `json:"feature"`
		Missing    *float64 `json:"missing_share"`
		RefMissing *float64 `json:"reference_missing_share"`
		Limit      *float64 `json:"missing_limit"`
		OutOfRange *float64 `json:"out_of_range_share"`
		Unseen     []struct {
			Category string  `json:"category"`
			Share    float64 `json:"share"`
		} `json:"unseen"`
		UnseenShare *float64 `json:"unseen_share"`
		Silent      bool     `json:"silent"`
	}
	var doc struct {
		Models []struct {
			Name     string `json:"name"`
			Versions []struct {
				DQ *struct {
					Reference   string    `json:"reference"`
					Predictions *float64  `json:"predictions"`
					Features    []feature `json:"features"`
					Schema      []struct {
						Feature, Change string
					} `json:"schema"`
				} `json:"data_quality"`
			} `json:"versions"`
		} `json:"models"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Models) != 1 || len(doc.Models[0].Versions) != 1 || doc.Models[0].Versions[0].DQ == nil {
		t.Fatalf("snapshot: %s", raw)
	}
	dq := doc.Models[0].Versions[0].DQ
	features := map[string]feature{}
	for _, f := range dq.Features {
		features[f.Feature] = f
	}
	near := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-9 {
			t.Errorf("%s = %v, want %g", what, got, want)
		}
	}
	if dq.Predictions == nil || *dq.Predictions < 500 {
		t.Fatalf("predictions in the window: %v", dq.Predictions)
	}
	n := *dq.Predictions
	tenure, plan := features["tenure"], features["plan"]
	near("tenure missing", tenure.Missing, 0.05)
	near("tenure p0", tenure.RefMissing, 0.01)
	near("tenure limit", tenure.Limit, 0.01+3*math.Sqrt(0.01*0.99/n))
	near("tenure out of range", tenure.OutOfRange, 0.2)
	near("plan unseen", plan.UnseenShare, 0.2)
	near("plan missing", plan.Missing, 0)
	if len(plan.Unseen) != 2 || plan.Unseen[0].Category != "gold" || math.Abs(plan.Unseen[0].Share-0.15) > 1e-9 ||
		plan.Unseen[1].Category != "trial" || math.Abs(plan.Unseen[1].Share-0.05) > 1e-9 {
		t.Errorf("plan unseen %+v", plan.Unseen)
	}
	if !features["region"].Silent {
		t.Errorf("region %+v, want silent", features["region"])
	}
	if dq.Reference != "1h offset" || fmt.Sprint(dq.Schema) != "[{coupon added} {region removed}]" {
		t.Errorf("reference %q, schema %v", dq.Reference, dq.Schema)
	}

	m := snap.Models[0]
	if m.Health.Status != fleet.StatusCritical || m.Health.Findings[0].Message != "region silent (no values while predictions flow)" {
		t.Errorf("health %+v", m.Health)
	}
	res := report.Evaluate(snap)
	got := map[string]string{}
	for _, b := range res.Breaches {
		if b.Check == fleet.CheckDataQuality {
			got[b.Message] = b.Status
		}
	}
	for msg, status := range map[string]string{
		"region silent (no values while predictions flow)": "critical",
		"tenure 5 % missing":             "warn",
		"tenure 20 % out of range":       "warn",
		"plan 20 % unseen (gold, trial)": "warn",
		"schema: coupon added":           "warn",
	} {
		if got[msg] != status {
			t.Errorf("check breach %q = %q, want %q (all: %v)", msg, got[msg], status, got)
		}
	}
	if res.Code != report.CheckBreached {
		t.Errorf("check code %d, want %d: %+v", res.Code, report.CheckBreached, res)
	}
}
