package config

// bentomlProfile reads BentoML 1.2+ services.
//
// Names and labels: bentoml/BentoML src/bentoml/_internal/server/http/instruments.py
// (RunnerTrafficMetricsMiddleware: request_total and request_duration_seconds
// labelled endpoint, service_name, service_version, http_response_code and
// runner_name), installed under the namespace bentoml_service by
// src/_bentoml_impl/server/app.py. runner_name is the service, service_name
// the Bento, service_version the Bento's build version, "not available" when
// served from source (src/_bentoml_impl/worker/service.py).
//
// Each service of a Bento is its own model, so that a call passing through two
// services is not counted twice. Health probes, docs and metrics endpoints
// are left out. 5xx responses are errors; 4xx are the caller's.
var bentomlProfile = append([]Query{
	{Role: "request_rate", Expr: bentomlRequests},
	{Role: "error_ratio", Expr: bentomlErrorRatio},
	{Role: "latency_p50", Expr: quantile("0.5", bentomlBuckets)},
	{Role: "latency_p95", Expr: quantile("0.95", bentomlBuckets)},
	{Role: "latency_p99", Expr: quantile("0.99", bentomlBuckets)},
	{Role: "latency_mean", Expr: sumByVersion(bentomlLabels(`rate(bentoml_service_request_duration_seconds_sum{`+bentomlAPI+`}[{{window}}])`)) + " / " + bentomlTimed},
}, serviceLevelRoles(bentomlRequests, bentomlErrorRatio, bentomlBuckets)...)

// bentomlAPI leaves out the routes every BentoML server has besides the
// service's own API.
const bentomlAPI = `endpoint!~"/|/livez|/readyz|/healthz|/metrics|/docs.json|/schema.json|/static_content/.*"`

var (
	bentomlRequests   = sumByVersion(bentomlLabels(`rate(bentoml_service_request_total{` + bentomlAPI + `}[{{window}}])`))
	bentomlBuckets    = bentomlLabels(`rate(bentoml_service_request_duration_seconds_bucket{` + bentomlAPI + `}[{{window}}])`)
	bentomlErrorRatio = ratioOrZero(sumByVersion(bentomlLabels(`rate(bentoml_service_request_total{`+bentomlAPI+`,http_response_code=~"5.."}[{{window}}])`)), bentomlRequests)
	bentomlTimed      = sumByVersion(bentomlLabels(`rate(bentoml_service_request_duration_seconds_count{` + bentomlAPI + `}[{{window}}])`))
)

func bentomlLabels(expr string) string {
	return clearValue(copyLabel(copyLabel(expr, "model", "runner_name"), "version", "service_version"), "version", "not available")
}
