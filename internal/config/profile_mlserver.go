package config

// mlserverProfile reads Seldon MLServer's inference metrics.
//
// Names and labels: SeldonIO/MLServer mlserver/handlers/dataplane.py, which
// defines the counters model_infer_request_success and
// model_infer_request_failure and the summary model_infer_request_duration,
// all labelled model and version (the Python client exposes the counters with
// _total). The summary times every call, failed or not, so its _count is the
// number of requests; the failure counter counts exceptions in the same call.
// version is the version the request named, "None" when it named none.
//
// The summary carries no quantiles: latency_mean only, already in seconds.
var mlserverProfile = append([]Query{
	{Role: "request_rate", Expr: mlserverRequests},
	{Role: "error_ratio", Expr: mlserverErrorRatio},
	{Role: "latency_mean", Expr: sumByVersion(mlserverLabels("rate(model_infer_request_duration_sum[{{window}}])")) + " / " + mlserverRequests},
}, serviceLevelRoles(mlserverRequests, mlserverErrorRatio, "")...)

var (
	mlserverRequests   = sumByVersion(mlserverLabels("rate(model_infer_request_duration_count[{{window}}])"))
	mlserverErrorRatio = sumByVersion(mlserverLabels("rate(model_infer_request_failure_total[{{window}}])")) + " / " + mlserverRequests
)

func mlserverLabels(expr string) string { return clearValue(expr, "version", "None") }
