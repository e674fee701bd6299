package config

// tritonProfile reads NVIDIA Triton Inference Server's per-model metrics.
// Triton labels them model and version already (version is the model
// version number).
//
// Names: triton-inference-server/server docs/user_guide/metrics.md;
// nv_inference_request_duration_us grows only with nv_inference_request_success
// (triton-inference-server/core src/infer_stats.cc, UpdateSuccess), so the mean
// divides by successes. Triton's default metrics hold no request latency
// histogram, only cumulative microsecond counters: latency_mean alone, in
// seconds, and no quantile roles.
var tritonProfile = append([]Query{
	{Role: "request_rate", Expr: tritonRequests},
	{Role: "error_ratio", Expr: tritonErrorRatio},
	{Role: "latency_mean", Expr: sumByVersion("rate(nv_inference_request_duration_us[{{window}}])") + " / " + tritonSuccesses + " / 1e6"},
}, serviceLevelRoles(tritonRequests, tritonErrorRatio, "")...)

var (
	tritonSuccesses = sumByVersion("rate(nv_inference_request_success[{{window}}])")
	tritonFailures  = sumByVersion("rate(nv_inference_request_failure[{{window}}])")
	// Triton creates both counters with the model, so the sum has both sides.
	tritonRequests   = tritonSuccesses + " + " + tritonFailures
	tritonErrorRatio = tritonFailures + " / (" + tritonRequests + ")"
)
