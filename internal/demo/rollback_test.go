package demo

import (
	"net/url"
	"testing"
	"time"
)

func modelUpdated(t *testing.T, f *Fleet, name string) int64 {
	t.Helper()
	var got struct {
		RegisteredModel struct {
			LastUpdatedTimestamp int64 `json:"last_updated_timestamp"`
		} `json:"registered_model"`
	}
	if code := call(t, "GET", mlflowURL(f, "registered-models/get", url.Values{"name": {name}}), nil, &got); code != 200 {
		t.Fatalf("get %s: status %d", name, code)
	}
	return got.RegisteredModel.LastUpdatedTimestamp
}

func TestRollbackMovesTraffic(t *testing.T) {
	f := startManual(t, 5)
	f.Advance(3 * time.Second)
	v7 := lbl("model", "payments-fraud", "version", "7")
	v8 := lbl("model", "payments-fraud", "version", "8")
	before := scrapeAll(t, f)
	if len(series(before, "model_predictions_total", v7)) != 0 {
		t.Fatal("v7 serves before the rollback")
	}
	updated := modelUpdated(t, f, "payments-fraud")

	body := map[string]string{"name": "payments-fraud", "alias": "champion", "version": "7"}
	if code := call(t, "POST", mlflowURL(f, "registered-models/alias", nil), body, &map[string]any{}); code != 200 {
		t.Fatalf("set alias: status %d", code)
	}
	if got := modelUpdated(t, f, "payments-fraud"); got <= updated {
		t.Errorf("last_updated_timestamp %d did not move past %d", got, updated)
	}
	f.Advance(time.Second)
	mid := scrapeAll(t, f)
	f.Advance(5 * time.Second)
	after := scrapeAll(t, f)

	if got := value(t, after, "model_traffic_weight", lbl("model", "payments-fraud", "version", "7", "track", "stable")); got != 100 {
		t.Errorf("v7 weight %v, want 100", got)
	}
	if n := len(series(after, "model_traffic_weight", v8)); n != 0 {
		t.Errorf("v8 still has %d traffic weight series", n)
	}
	if a, b := value(t, mid, "model_prediction_errors_total", v8), value(t, after, "model_prediction_errors_total", v8); a != b {
		t.Errorf("v8 errors still increasing: %v -> %v", a, b)
	}
	served := value(t, after, "model_predictions_total", v7) - value(t, mid, "model_predictions_total", v7)
	errs := value(t, after, "model_prediction_errors_total", v7) - value(t, mid, "model_prediction_errors_total", v7)
	if served < 5*1000 {
		t.Errorf("v7 served %v in 5s, want the model's ~1.2k req/s", served)
	}
	if errs/served > 0.01 {
		t.Errorf("v7 error ratio %.3f, want healthy", errs/served)
	}
	if got := value(t, after, "model_rollout_info", lbl("model", "payments-fraud", "phase", "Healthy")); got != 1 {
		t.Errorf("rollout phase not Healthy")
	}
}

func TestRollbackByStage(t *testing.T) {
	f := startManual(t, 6)
	body := map[string]any{"name": "payments-fraud", "version": "6", "stage": "production", "archive_existing_versions": true}
	var got struct {
		ModelVersion struct {
			Version      string `json:"version"`
			CurrentStage string `json:"current_stage"`
		} `json:"model_version"`
	}
	if code := call(t, "POST", mlflowURL(f, "model-versions/transition-stage", nil), body, &got); code != 200 {
		t.Fatalf("transition: status %d", code)
	}
	if got.ModelVersion.CurrentStage != "Production" {
		t.Errorf("stage %q, want Production", got.ModelVersion.CurrentStage)
	}
	f.Advance(time.Second)
	all := scrapeAll(t, f)
	if w := value(t, all, "model_traffic_weight", lbl("model", "payments-fraud", "version", "6")); w != 100 {
		t.Errorf("v6 weight %v, want 100", w)
	}
	var v8 struct {
		ModelVersion struct {
			CurrentStage string `json:"current_stage"`
		} `json:"model_version"`
	}
	call(t, "GET", mlflowURL(f, "model-versions/get", url.Values{"name": {"payments-fraud"}, "version": {"8"}}), nil, &v8)
	if v8.ModelVersion.CurrentStage != "Archived" {
		t.Errorf("v8 stage %q, want Archived", v8.ModelVersion.CurrentStage)
	}
}
