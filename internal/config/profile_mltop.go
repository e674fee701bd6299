package config

// mltopProfile reads the default metric convention (SPEC, profile `mltop`).
var mltopProfile = []Query{
	{Role: "request_rate", Expr: `sum by (model, version) (rate(model_predictions_total[{{window}}]))`},
	{Role: "error_ratio", Expr: `sum by (model, version) (rate(model_prediction_errors_total[{{window}}])) / sum by (model, version) (rate(model_predictions_total[{{window}}]))`},
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
}
