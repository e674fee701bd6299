package config

// torchserveProfile reads TorchServe's per-model frontend counters.
//
// Names and labels: pytorch/serve ts/configs/metrics.yaml
// (ts_inference_requests_total, ts_inference_latency_microseconds with
// model_name, model_version, hostname). The frontend counts every accepted
// request (InferenceRequestHandler) but adds latency only when a response is
// sent (frontend/server/src/main/java/org/pytorch/serve/job/RestJob.java), and
// writes model_version "default" when the request names no version.
//
// TorchServe counts 4XX/5XX per host, not per model: no error_ratio. It has
// no latency histogram: latency_mean only, microseconds divided into seconds.
var torchserveProfile = append([]Query{
	{Role: "request_rate", Expr: torchserveRequests},
	{Role: "latency_mean", Expr: sumByVersion(torchserveLabels("rate(ts_inference_latency_microseconds[{{window}}])")) + " / " + torchserveRequests + " / 1e6"},
}, serviceLevelRoles(torchserveRequests, "", "")...)

var torchserveRequests = sumByVersion(torchserveLabels("rate(ts_inference_requests_total[{{window}}])"))

// torchserveLabels maps model_name and model_version onto model and version;
// "default" only says the request named no version, so it becomes "".
func torchserveLabels(expr string) string {
	return clearValue(copyLabel(copyLabel(expr, "model", "model_name"), "version", "model_version"), "version", "default")
}
