package profilecheck

import (
	"testing"

	"github.com/prometheus/common/model"
)

// An exporter in mltop's convention serving fraud v3 and iris v2: the same
// iris v2 that mlserverExposition reports, with other figures.
const mltopExposition = `# TYPE model_predictions_total counter
model_predictions_total{model="fraud",version="3"} 120
model_predictions_total{model="iris",version="v2"} 45
# TYPE model_prediction_errors_total counter
model_prediction_errors_total{model="fraud",version="3"} 6
model_prediction_errors_total{model="iris",version="v2"} 9
# TYPE model_prediction_duration_seconds histogram
model_prediction_duration_seconds_bucket{model="fraud",version="3",le="0.1"} 60
model_prediction_duration_seconds_bucket{model="fraud",version="3",le="+Inf"} 120
model_prediction_duration_seconds_sum{model="fraud",version="3"} 12
model_prediction_duration_seconds_count{model="fraud",version="3"} 120
model_prediction_duration_seconds_bucket{model="iris",version="v2",le="0.1"} 45
model_prediction_duration_seconds_bucket{model="iris",version="v2",le="+Inf"} 45
model_prediction_duration_seconds_sum{model="iris",version="v2"} 0.9
model_prediction_duration_seconds_count{model="iris",version="v2"} 45
`

// [mltop, mlserver]: each role answers for the versions either exporter
// reports; for iris v2, which both report, mltop's figures win, and the
// profile role names the profile that answered.
func TestProfilesCombine(t *testing.T) {
	e := scrapeGrowing(t, mltopExposition, mlserverExposition)
	got := evaluate(t, e, "mltop", "mlserver")
	fraud, v2, none := lbl("model", "fraud", "version", "3"), lbl("model", "iris", "version", "v2"), lbl("model", "iris")
	expect(t, "request_rate", got["request_rate"], want{fraud, perSecond(120)}, want{v2, perSecond(45)}, want{none, perSecond(60)})
	expect(t, "error_ratio", got["error_ratio"], want{fraud, 6.0 / 120}, want{v2, 9.0 / 45}, want{none, 3.0 / 60})
	expect(t, "latency_mean", got["latency_mean"], want{fraud, 12.0 / 120}, want{v2, 0.9 / 45}, want{none, 1.5 / 60})
	// mlserver has no histogram: the buckets are mltop's alone, never mixed.
	expectBuckets(t, got["latency_buckets"], want{withLe(v2, "+Inf"), perSecond(45)}, want{withLe(fraud, "0.1"), perSecond(60)})
	expectBurnWindows(t, got, want{fraud, 6.0 / 120}, want{v2, 9.0 / 45}, want{none, 3.0 / 60})
	expect(t, "profile", got["profile"],
		want{with(fraud, "profile", "mltop"), 1}, want{with(v2, "profile", "mltop"), 1}, want{with(none, "profile", "mlserver"), 1})

	// Listed the other way round, MLServer's iris v2 wins.
	rev := evaluate(t, e, "mlserver", "mltop")
	expect(t, "request_rate", rev["request_rate"], want{fraud, perSecond(120)}, want{v2, perSecond(30)}, want{none, perSecond(60)})
	expect(t, "error_ratio", rev["error_ratio"], want{fraud, 6.0 / 120}, want{v2, 0}, want{none, 3.0 / 60})
	expect(t, "profile", rev["profile"],
		want{with(fraud, "profile", "mltop"), 1}, want{with(v2, "profile", "mlserver"), 1}, want{with(none, "profile", "mlserver"), 1})
}

// with is m with one more label.
func with(m model.Metric, name, value string) model.Metric {
	out := m.Clone()
	out[model.LabelName(name)] = model.LabelValue(value)
	return out
}
