package demo

import (
	"math"

	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

func TestChurnTenureDrifts(t *testing.T) {
	f := startManual(t, 10)
	v3 := func(feature string) map[string]string {
		return lbl("model", "churn-predictor", "version", "3", "feature", feature)
	}
	all := scrapeAll(t, f)
	if start := value(t, all, "model_drift_score", v3("tenure")); start > 0.05 {
		t.Errorf("tenure PSI %.3f at the start, want ~0.02", start)
	}
	accStart := value(t, all, "model_performance", lbl("model", "churn-predictor", "metric", "accuracy"))

	// Within ~15 story minutes tenure's PSI passes 0.1.
	f.Advance(storyToReal(16 * time.Minute))
	all = scrapeAll(t, f)
	if psi := value(t, all, "model_drift_score", v3("tenure")); psi <= 0.1 {
		t.Errorf("tenure PSI %.3f after 16 story minutes, want > 0.1", psi)
	}

	// Over a few story hours it keeps rising, while the rest stays stable.
	for range 20 {
		f.Advance(storyToReal(15 * time.Minute))
		all = scrapeAll(t, f)
		for _, feature := range []string{"monthly_charges", "support_calls", "plan"} {
			if s := value(t, all, "model_drift_score", v3(feature)); s >= 0.05 {
				t.Errorf("%s drift %.3f at %s, want < 0.05", feature, s, f.StoryTime().Sub(storyStart))
			}
		}
	}
	if psi := value(t, all, "model_drift_score", v3("tenure")); psi < 0.3 {
		t.Errorf("tenure PSI %.3f after 5 story hours, want >= 0.3", psi)
	}
	acc := value(t, all, "model_performance", lbl("model", "churn-predictor", "metric", "accuracy"))
	// Calibrated scores (calibration.go): .885 before the drift, and the
	// drifted scores of two hours ago cost about five points.
	if accStart < 0.875 || acc > 0.85 || acc < 0.82 {
		t.Errorf("accuracy %.3f -> %.3f, want ~.885 decaying towards ~.835", accStart, acc)
	}
}

func TestCreditLabelsGoStale(t *testing.T) {
	f := startManual(t, 11)
	age := func() time.Duration {
		all := scrapeAll(t, f)
		ts := value(t, all, "model_ground_truth_last_timestamp_seconds", lbl("model", "credit-risk", "version", "11"))
		return f.WallTime().Sub(time.UnixMilli(int64(math.Round(ts * 1000))))
	}
	if a := age(); a < 46*time.Hour || a > 48*time.Hour {
		t.Errorf("newest label %s old at the start, want ~47h", a)
	}
	f.Advance(storyToReal(90 * time.Minute))
	if a := age(); a <= 48*time.Hour {
		t.Errorf("newest label %s old after 90 story minutes, want > 48h", a)
	}
	all := scrapeAll(t, f)
	v11 := lbl("model", "credit-risk", "version", "11")
	frac := value(t, all, "model_ground_truth_labeled_total", v11) / value(t, all, "model_predictions_total", v11)
	if frac < 0.03 || frac > 0.07 {
		t.Errorf("labelled fraction %.3f, want ~5%%", frac)
	}
}

func TestCanaryCompletesWithoutMovingChampion(t *testing.T) {
	f := startManual(t, 12)
	credit := lbl("model", "credit-risk")
	phase := func(all map[string]*dto.MetricFamily) string {
		ms := series(all, "model_rollout_info", credit)
		if len(ms) != 1 {
			t.Fatalf("%d rollout_info series for credit-risk, want 1", len(ms))
		}
		return labelsOf(ms[0])["phase"]
	}
	// The demo starts 25 story minutes into step 2; one minute after that
	// step's pause ends, step 3 is setting weight 50.
	left := canaryProgress + canaryPause - 25*time.Minute
	f.Advance(storyToReal(left + time.Minute))
	all := scrapeAll(t, f)
	if p, s, w := phase(all), value(t, all, "model_rollout_step", credit), value(t, all, "model_rollout_set_weight", credit); p != "Progressing" || s != 3 || w != 50 {
		t.Errorf("step 3: phase %s step %v set weight %v, want Progressing 3 50", p, s, w)
	}
	f.Advance(storyToReal(canaryProgress))
	if p := phase(scrapeAll(t, f)); p != "Paused" {
		t.Errorf("after step 3's progress: phase %s, want Paused", p)
	}
	// Step 3's pause ends, then step 4 (100%) completes after its progress.
	f.Advance(storyToReal(canaryPause + canaryProgress + time.Minute))
	all = scrapeAll(t, f)
	if w := value(t, all, "model_traffic_weight", lbl("model", "credit-risk", "version", "12", "track", "stable")); w != 100 {
		t.Errorf("v12 weight %v after the canary, want stable 100", w)
	}
	if n := len(series(all, "model_rollout_step", lbl("model", "credit-risk"))); n != 0 {
		t.Error("rollout step still exported after the canary completed")
	}
	if v := value(t, all, "model_rollout_info", lbl("model", "credit-risk")); v != 1 || len(series(all, "model_rollout_info", lbl("model", "credit-risk", "phase", "Healthy"))) != 1 {
		t.Error("rollout not Healthy after the canary completed")
	}
	var alias struct {
		ModelVersion struct {
			Version string `json:"version"`
		} `json:"model_version"`
	}
	call(t, "GET", mlflowURL(f, "registered-models/alias", map[string][]string{"name": {"credit-risk"}, "alias": {"champion"}}), nil, &alias)
	if alias.ModelVersion.Version != "11" {
		t.Errorf("champion %q, want 11 (a rollout does not move the alias)", alias.ModelVersion.Version)
	}
}
