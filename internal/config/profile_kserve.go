package config

// kserveProfile reads the KServe Python model server (sklearn, xgboost,
// lightgbm, huggingface and custom predictors). KServe runtimes that run
// Triton, MLServer or TorchServe are read with those profiles instead.
//
// Names and labels: kserve/kserve python/kserve/kserve/metrics.py, histograms
// request_preprocess_seconds, request_predict_seconds,
// request_postprocess_seconds and request_explain_seconds labelled only
// model_name. The model server times the predict step
// (python/kserve/kserve/model.py, PREDICT_HIST_TIME), failed calls included.
//
// There is no version label: every series has version "". The model server
// counts no failures: no error_ratio. Latency is the predict step only, not
// pre- and post-processing or the network.
var kserveProfile = append([]Query{
	{Role: "request_rate", Expr: kservePredicts},
	{Role: "latency_p50", Expr: quantile("0.5", kserveBuckets)},
	{Role: "latency_p95", Expr: quantile("0.95", kserveBuckets)},
	{Role: "latency_p99", Expr: quantile("0.99", kserveBuckets)},
	{Role: "latency_mean", Expr: sumByVersion(kserveLabels("rate(request_predict_seconds_sum[{{window}}])")) + " / " + kservePredicts},
}, serviceLevelRoles(kservePredicts, "", kserveBuckets)...)

var (
	kservePredicts = sumByVersion(kserveLabels("rate(request_predict_seconds_count[{{window}}])"))
	kserveBuckets  = kserveLabels("rate(request_predict_seconds_bucket[{{window}}])")
)

func kserveLabels(expr string) string { return copyLabel(expr, "model", "model_name") }
