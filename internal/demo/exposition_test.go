package demo

import (
	"math"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

func TestExpositionFollowsConvention(t *testing.T) {
	f := startManual(t, 1)
	f.Advance(5 * time.Second)
	models := map[string]bool{}
	for _, target := range f.Targets() {
		fams := scrape(t, target)
		if len(fams) == 0 {
			t.Fatalf("%s: empty exposition", target)
		}
		for name, fam := range fams {
			if !strings.HasPrefix(name, "model_") {
				t.Errorf("%s: unexpected family %s", target, name)
			}
			// The rollout and its analysis are the model's, of no version.
			rollout := strings.HasPrefix(name, "model_rollout_") || strings.HasPrefix(name, "model_analysis_")
			for _, m := range fam.GetMetric() {
				l := labelsOf(m)
				if l["model"] == "" {
					t.Errorf("%s%v: no model label", name, l)
				}
				models[l["model"]] = true
				if _, ok := l["version"]; ok == rollout {
					t.Errorf("%s%v: version label present=%v, want %v", name, l, ok, !rollout)
				}
			}
		}
	}
	if len(models) < 7 {
		t.Errorf("%d models exported, want >= 7", len(models))
	}
	all := scrapeAll(t, f)
	serving := map[string]bool{}
	for _, m := range series(all, "model_traffic_weight", nil) {
		l := labelsOf(m)
		serving[l["model"]+"/"+l["version"]] = true
	}
	if len(serving) < 9 {
		t.Errorf("%d serving versions, want >= 9: %v", len(serving), serving)
	}
}

func TestFeatureBucketsAreReferenceDeciles(t *testing.T) {
	f := startManual(t, 2)
	f.Advance(30 * time.Second)
	all := scrapeAll(t, f)
	for _, m := range series(all, "model_feature_value", nil) {
		b := finite(m.GetHistogram().GetBucket())
		if len(b) != 9 {
			t.Fatalf("%v: %d finite buckets, want 9 deciles", labelsOf(m), len(b))
		}
		for i := 1; i < len(b); i++ {
			if b[i].GetUpperBound() <= b[i-1].GetUpperBound() {
				t.Errorf("%v: bounds not increasing at %d: %v", labelsOf(m), i, b)
			}
		}
	}
	// A feature that has not drifted fills each decile with about 10%.
	m := series(all, "model_feature_value", lbl("model", "eta-predictor", "feature", "distance_km"))[0]
	h := m.GetHistogram()
	total := float64(h.GetSampleCount())
	if total < 10000 {
		t.Fatalf("only %v observations", total)
	}
	buckets := finite(h.GetBucket())
	prev := 0.0
	for i := 0; i <= len(buckets); i++ {
		cum := total
		if i < len(buckets) {
			cum = float64(buckets[i].GetCumulativeCount())
		}
		if share := (cum - prev) / total; math.Abs(share-0.1) > 0.02 {
			t.Errorf("bucket %d holds %.3f of distance_km, want ~0.10", i, share)
		}
		prev = cum
	}
}

func TestCountersAreMonotonic(t *testing.T) {
	f := startManual(t, 3)
	f.Advance(2 * time.Second)
	before := scrapeAll(t, f)
	f.Advance(3 * time.Second)
	after := scrapeAll(t, f)
	grew := 0
	for name, fam := range before {
		typ := fam.GetType()
		if typ != dto.MetricType_COUNTER && typ != dto.MetricType_HISTOGRAM && typ != dto.MetricType_SUMMARY {
			continue
		}
		for _, m := range fam.GetMetric() {
			later := series(after, name, labelsOf(m))
			if len(later) != 1 {
				t.Errorf("%s%v vanished", name, labelsOf(m))
				continue
			}
			a, b := counts(m), counts(later[0])
			for i := range a {
				if b[i] < a[i] {
					t.Errorf("%s%v went down: %v -> %v", name, labelsOf(m), a, b)
				}
			}
			if b[0] > a[0] {
				grew++
			}
		}
	}
	if grew == 0 {
		t.Error("no counter grew")
	}
}

// finite drops the +Inf bucket, which the text parser keeps.
func finite(bs []*dto.Bucket) []*dto.Bucket {
	var out []*dto.Bucket
	for _, b := range bs {
		if !math.IsInf(b.GetUpperBound(), 1) {
			out = append(out, b)
		}
	}
	return out
}

// counts flattens a counter, histogram or summary into its cumulative
// numbers, count first.
func counts(m *dto.Metric) []float64 {
	switch {
	case m.Counter != nil:
		return []float64{m.GetCounter().GetValue()}
	case m.Summary != nil:
		return []float64{float64(m.GetSummary().GetSampleCount())}
	}
	h := m.GetHistogram()
	out := []float64{float64(h.GetSampleCount())}
	for _, b := range h.GetBucket() {
		out = append(out, float64(b.GetCumulativeCount()))
	}
	return out
}

func TestStoriesAtStart(t *testing.T) {
	f := startManual(t, 4)
	f.Advance(10 * time.Second)
	all := scrapeAll(t, f)

	// The canary is in progress: step 2 of 4 at 25%.
	credit := lbl("model", "credit-risk")
	if got := value(t, all, "model_rollout_step", credit); got != 2 {
		t.Errorf("credit-risk step %v, want 2", got)
	}
	if got := value(t, all, "model_rollout_steps", credit); got != 4 {
		t.Errorf("credit-risk steps %v, want 4", got)
	}
	if got := value(t, all, "model_traffic_weight", lbl("model", "credit-risk", "version", "12", "track", "canary")); got != 25 {
		t.Errorf("credit-risk canary weight %v, want 25", got)
	}
	if got := value(t, all, "model_rollout_info", lbl("model", "credit-risk")); got != 1 {
		t.Errorf("credit-risk rollout_info %v", got)
	}
	if len(series(all, "model_rollout_step", lbl("model", "payments-fraud"))) != 0 {
		t.Error("payments-fraud exports a rollout step without a canary")
	}

	// The incident: v8 fails 4-8% of requests.
	v8 := lbl("model", "payments-fraud", "version", "8")
	ratio := value(t, all, "model_prediction_errors_total", v8) / value(t, all, "model_predictions_total", v8)
	if ratio < 0.04 || ratio > 0.08 {
		t.Errorf("payments-fraud v8 error ratio %.3f, want 4-8%%", ratio)
	}
	if auc := value(t, all, "model_performance", lbl("model", "payments-fraud", "version", "8", "metric", "auc")); math.Abs(auc-0.81) > 0.01 {
		t.Errorf("payments-fraud v8 live auc %.3f, want ~.81", auc)
	}

	// The shadow receives the mirrored traffic at weight 0.
	shadow := lbl("model", "search-ranker", "version", "22")
	if got := value(t, all, "model_traffic_weight", lbl("model", "search-ranker", "version", "22", "track", "shadow")); got != 0 {
		t.Errorf("shadow weight %v, want 0", got)
	}
	if s, p := value(t, all, "model_predictions_total", shadow), value(t, all, "model_predictions_total", lbl("model", "search-ranker", "version", "21")); s != p || s/10 < 500 {
		t.Errorf("shadow predictions %v, stable %v: want equal and >= 500/s", s, p)
	}

	// image-tagger: a summary without quantiles, no ground truth.
	img := series(all, "model_prediction_duration_seconds", lbl("model", "image-tagger"))
	if len(img) != 1 || img[0].Summary == nil || len(img[0].GetSummary().GetQuantile()) != 0 {
		t.Errorf("image-tagger latency: %v, want a summary without quantiles", img)
	}
	for _, name := range []string{"model_performance", "model_ground_truth_labeled_total", "model_ground_truth_last_timestamp_seconds"} {
		if len(series(all, name, lbl("model", "image-tagger"))) != 0 {
			t.Errorf("image-tagger exports %s", name)
		}
	}
}
