package config

import "slices"

// mltopProfile reads the default metric convention (SPEC, profile `mltop`).
var mltopBase = []Query{
	{Role: "request_rate", Expr: mltopRequests},
	{Role: "error_ratio", Expr: mltopErrorRatio},
	{Role: "latency_p50", Expr: `histogram_quantile(0.5, sum by (model, version, le) (rate(model_prediction_duration_seconds_bucket[{{window}}])))`},
	{Role: "latency_p95", Expr: `histogram_quantile(0.95, sum by (model, version, le) (rate(model_prediction_duration_seconds_bucket[{{window}}])))`},
	{Role: "latency_p99", Expr: `histogram_quantile(0.99, sum by (model, version, le) (rate(model_prediction_duration_seconds_bucket[{{window}}])))`},
	{Role: "latency_mean", Expr: `sum by (model, version) (rate(model_prediction_duration_seconds_sum[{{window}}])) / sum by (model, version) (rate(model_prediction_duration_seconds_count[{{window}}]))`},
	{Role: "performance", Expr: `max by (model, version, metric) (model_performance)`},
	{Role: "traffic_weight", Expr: `max by (model, version, track) (model_traffic_weight)`},
	{Role: "rollout_info", Expr: `max by (model, phase, strategy) (model_rollout_info) > 0`},
	{Role: "rollout_step", Expr: `max by (model) (model_rollout_step)`},
	{Role: "rollout_steps", Expr: `max by (model) (model_rollout_steps)`},
	{Role: "rollout_set_weight", Expr: `max by (model) (model_rollout_set_weight)`},
	{Role: "labeled_fraction", Expr: `sum by (model, version) (model_ground_truth_labeled_total) / sum by (model, version) (model_predictions_total)`},
	{Role: "label_delay_p50", Expr: `histogram_quantile(0.5, sum by (model, version, le) (rate(model_ground_truth_delay_seconds_bucket[{{window}}])))`},
	{Role: "label_delay_p95", Expr: `histogram_quantile(0.95, sum by (model, version, le) (rate(model_ground_truth_delay_seconds_bucket[{{window}}])))`},
	{Role: "label_age", Expr: `time() - max by (model, version) (model_ground_truth_last_timestamp_seconds)`},
	{Role: "drift_score", Expr: `max by (model, version, feature, method) (model_drift_score)`},
	{Role: "labels_in_window", Expr: `sum by (model, version) (increase(model_ground_truth_labeled_total[{{drift_window}}]))`},
	{Role: "feature_buckets", Expr: featureBuckets("[{{drift_window}}]")},
	{Role: "feature_buckets_reference", Expr: featureBuckets("[{{reference_window}}] offset {{reference_offset}}")},
	{Role: "feature_categories", Expr: `sum by (model, version, feature, category) (increase(model_feature_category_total[{{drift_window}}]))`},
	{Role: "feature_categories_reference", Expr: `sum by (model, version, feature, category) (increase(model_feature_category_total[{{reference_window}}] offset {{reference_offset}}))`},
	// A version with no sample one window ago is younger than the window:
	// its rates are not settled (VictoriaMetrics does not extrapolate, so
	// young series read very differently there).
	{Role: "warming_up", Expr: `count by (model, version) (model_predictions_total) unless count by (model, version) (model_predictions_total offset {{window}})`},
	// Both calibration histograms in one query, told apart by a label.
	{Role: "score_calibration", Expr: "sum by (model, version, le, calibration) (" +
		setLabel("increase(model_labeled_score_bucket[{{calibration_window}}])", "calibration", "all") + " or " +
		setLabel("increase(model_labeled_positive_score_bucket[{{calibration_window}}])", "calibration", "positive") + ")"},
	{Role: "performance_estimate", Expr: `max by (model, version, metric) (model_performance_estimate)`},
	{Role: "verdict_counts", Expr: "sum by (model, version, counter) (" +
		setLabel("increase(model_predictions_total[{{verdict_window}}])", "counter", "requests") + " or " +
		setLabel("increase(model_prediction_errors_total[{{verdict_window}}])", "counter", "errors") + ")"},
	{Role: "verdict_latency", Expr: `sum by (model, version, le) (increase(model_prediction_duration_seconds_bucket[{{verdict_window}}]))`},
	{Role: "analysis_run", Expr: `max by (model, run, phase) (model_analysis_run_info) > 0`},
	{Role: "analysis_metric", Expr: `max by (model, run, metric, phase) (model_analysis_metric_phase) > 0`},
	{Role: "feature_missing", Expr: featureMissing("[{{drift_window}}]")},
	{Role: "feature_missing_reference", Expr: featureMissing("[{{reference_window}}] offset {{reference_offset}}")},
}

var mltopProfile = slices.Concat(mltopBase, serviceLevelRoles(mltopRequests, mltopErrorRatio, "rate(model_prediction_duration_seconds_bucket[{{window}}])"))

const (
	mltopRequests   = `sum by (model, version) (rate(model_predictions_total[{{window}}]))`
	mltopErrorRatio = `sum by (model, version) (rate(model_prediction_errors_total[{{window}}])) / ` + mltopRequests
)

// featureMissing counts the predictions with a feature missing, by
// feature, and all predictions over rng: one query for both, told apart
// by the counter label (fleet.CounterMissing, fleet.CounterPredictions).
func featureMissing(rng string) string {
	return "sum by (model, version, feature, counter) (" +
		setLabel("increase(model_feature_missing_total"+rng+")", "counter", "missing") + " or " +
		setLabel("increase(model_predictions_total"+rng+")", "counter", "predictions") + ")"
}

// featureBuckets counts observations per bucket of every numeric feature
// and of the prediction over rng: one query for both, the prediction
// labelled feature="__prediction__" (fleet.PredictionFeature).
func featureBuckets(rng string) string {
	return "sum by (model, version, feature, le) (increase(model_feature_value_bucket" + rng + ") or " +
		setLabel("increase(model_prediction_value_bucket"+rng+")", "feature", "__prediction__") + ")"
}
