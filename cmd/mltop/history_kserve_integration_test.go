package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/narrow"
	"github.com/mltop/mltop/internal/testenv"
)

// One KServe model's serving history, read narrowed to that model as
// `mltop history` reads it through the wiring, finds the model's series:
// KServe names the model in model_name, which the profile copies to model,
// so the narrowing is on model_name. The narrowed request rate is the
// model's own, not its neighbour's.
func TestHistoryOfOneKServeModel(t *testing.T) {
	t.Parallel()
	iris, wine := startKServeExporter(t, "iris", 4), startKServeExporter(t, "wine", 1)
	prom := testenv.StartPrometheus(t, []string{iris, wine}, time.Second)
	// Three 15s steps of the minute's history filled, scrapes late under
	// load or not.
	prom.WaitFor("count_over_time(request_predict_seconds_count[45s])", 90*time.Second, func(v model.Vector) bool {
		return len(v) == 2 && v[0].Value >= 35 && v[1].Value >= 35
	})
	body := fmt.Sprintf("window: 10s\nprometheus:\n  url: %s\n  profile: kserve\n", prom.URL)

	code, out, errs := runMltop("history", "iris", "--since", "1m", "--format", "json", "--config", writeConfig(t, body), "--wait", "5s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Model    string `json:"model"`
		Versions []struct {
			Version string `json:"version"`
			Served  []struct {
				Share float64 `json:"share"`
			} `json:"served"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if doc.Model != "iris" || len(doc.Versions) != 1 || doc.Versions[0].Version != "" || len(doc.Versions[0].Served) == 0 {
		t.Fatalf("history %s, want iris serving without a version", out)
	}
	if s := doc.Versions[0].Served[0].Share; !near(s, 1, 1e-9) {
		t.Errorf("iris's share %v, want all of its traffic", s)
	}

	cfg, err := config.Parse("c.yaml", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Role != "request_rate" {
			continue
		}
		for name, rps := range map[string]float64{"iris": 4, "wine": 1} {
			expr, err := narrow.Query(q.Expr, map[string]string{"model": name, "version": ""})
			if err != nil {
				t.Fatal(err)
			}
			v := prom.Query(expr, time.Now())
			if len(v) != 1 || string(v[0].Metric["model"]) != name || !near(float64(v[0].Value), rps, 1e-9) {
				t.Errorf("%s narrowed to %s: %v, want one series of %g", q.Expr, name, v, rps)
			}
		}
		return
	}
	t.Fatal("the kserve profile has no request_rate")
}
