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
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// calibratedExporter serves one binary classifier (churn v3) whose counts
// grow by the same amounts at every scrape: per scrape 1, 2, 3, 4 and 0
// predictions in the score buckets ≤.25, .25–.5, .5–.75, .75–1 and above
// 1, and 10 labelled predictions in each of the first four, of which 1, 3,
// 6 and 9 positive (p_b = .1, .3, .6, .9). Every series grows in
// proportion, so whatever Prometheus's increase() extrapolates, the shares
// the estimate rests on are exactly these. A regressor (price v1) exports
// its own estimate.
func calibratedExporter(t *testing.T) *httptest.Server {
	t.Helper()
	les := []string{"0.25", "0.5", "0.75", "1", "+Inf"}
	pred := []int{1, 3, 6, 10, 10} // cumulative per scrape
	all := []int{10, 20, 30, 40, 40}
	pos := []int{1, 4, 10, 19, 19}
	var scrapes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := int(scrapes.Add(1))
		var b strings.Builder
		lbl := `model="churn",version="3"`
		fmt.Fprintf(&b, "# TYPE model_predictions_total counter\nmodel_predictions_total{%s} %d\n", lbl, 10*k)
		hist := func(name string, cum []int) {
			fmt.Fprintf(&b, "# TYPE %s histogram\n", name)
			for i, le := range les {
				fmt.Fprintf(&b, "%s_bucket{%s,le=%q} %d\n", name, lbl, le, k*cum[i])
			}
			fmt.Fprintf(&b, "%s_count{%s} %d\n", name, lbl, k*cum[len(cum)-1])
		}
		hist("model_prediction_value", pred)
		hist("model_labeled_score", all)
		hist("model_labeled_positive_score", pos)
		fmt.Fprintf(&b, "# TYPE model_predictions_total counter\nmodel_predictions_total{model=\"price\",version=\"1\"} %d\n", 5*k)
		fmt.Fprint(&b, "# TYPE model_performance_estimate gauge\nmodel_performance_estimate{model=\"price\",version=\"1\",metric=\"rmse\"} 3.5\n")
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEstimateThroughPrometheus: a real Prometheus scrapes an exporter with
// known score shares and calibration; the snapshot's estimated_performance
// is what the formulas give by hand (internal/estimate's worked case:
// TP = 54, FP = 16, FN = 7, TN = 23 per 100 predictions).
func TestEstimateThroughPrometheus(t *testing.T) {
	srv := calibratedExporter(t)
	prom := testenv.StartPrometheus(t, []string{srv.URL + "/metrics"}, time.Second)
	prom.WaitFor(`count_over_time(model_labeled_positive_score_bucket{le="+Inf"}[5m])`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 3
	})
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = prom.URL
	cfg.Prometheus.Timeout = 5 * time.Second
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	snap := a.Poller.PollOnce(context.Background())
	if !snap.Sources[0].OK {
		t.Fatalf("source: %+v", snap.Sources[0])
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	type estimate struct {
		Value    float64  `json:"value"`
		StdError *float64 `json:"std_error"`
	}
	var doc struct {
		Models []struct {
			Name     string `json:"name"`
			Versions []struct {
				Version   string              `json:"version"`
				Estimated map[string]estimate `json:"estimated_performance"`
				Cal       *struct {
					ECE         *float64 `json:"ece"`
					Labels      *float64 `json:"labels"`
					Window      *float64 `json:"window_seconds"`
					Threshold   float64  `json:"threshold"`
					Unavailable *string  `json:"unavailable"`
				} `json:"calibration"`
			} `json:"versions"`
		} `json:"models"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, m := range doc.Models {
		for _, v := range m.Versions {
			switch m.Name + "/" + v.Version {
			case "churn/3":
				found++
				c := v.Cal
				if c == nil || c.Unavailable != nil || c.ECE == nil || math.Abs(*c.ECE-0.0375) > 1e-9 || c.Threshold != 0.5 ||
					c.Window == nil || *c.Window != 7*86400 || c.Labels == nil || *c.Labels <= 0 {
					t.Errorf("calibration %+v", c)
				}
				want := map[string]float64{
					"accuracy": 0.77, "precision": 54.0 / 70, "recall": 54.0 / 61, "f1": 108.0 / 131,
					"roc_auc": 1954.5 / 2379,
				}
				if len(v.Estimated) != len(want) {
					t.Errorf("estimated %v, want %v", v.Estimated, want)
				}
				for metric, w := range want {
					e, ok := v.Estimated[metric]
					if !ok || math.Abs(e.Value-w) > 1e-9 || e.StdError == nil || !(*e.StdError > 0) {
						t.Errorf("%s = %+v, want %.12f with a standard error", metric, e, w)
					}
				}
			case "price/1":
				found++
				if e, ok := v.Estimated["rmse"]; !ok || e.Value != 3.5 || e.StdError != nil || v.Cal != nil {
					t.Errorf("price: estimated %v, calibration %+v", v.Estimated, v.Cal)
				}
			}
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the 2 versions in %s", found, raw)
	}
}
