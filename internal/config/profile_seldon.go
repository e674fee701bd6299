package config

// seldonV2Profile reads the Seldon Core 2 agent, which sits in front of each
// inference server replica and counts calls per model.
//
// Names and labels: SeldonIO/seldon-core scheduler/pkg/metrics/agent.go
// (seldon_model_infer_total and seldon_model_infer_seconds_total, labelled
// server, server_replica, model, model_internal, method_type, code). code is
// the HTTP status for REST and the gRPC code name for gRPC
// (scheduler/pkg/agent/rproxy.go, rproxy_grpc.go); every other code counts as
// an error, as MLServer and Triton count every failed call. model_internal is
// "<model>_<version>" (scheduler/pkg/util/model.go), the version being Seldon's
// own counter of the Model resource's revisions.
//
// The agent's latency histogram (seldon_model_infer_api_seconds) has no model
// label: latency_mean only, from the seconds counter, which counts failed calls
// as well.
var seldonV2Profile = append([]Query{
	{Role: "request_rate", Expr: seldonCalls},
	{Role: "error_ratio", Expr: seldonErrorRatio},
	{Role: "latency_mean", Expr: sumByVersion(seldonLabels("rate(seldon_model_infer_seconds_total[{{window}}])")) + " / " + seldonCalls},
}, serviceLevelRoles(seldonCalls, seldonErrorRatio, "")...)

var (
	seldonCalls      = sumByVersion(seldonLabels("rate(seldon_model_infer_total[{{window}}])"))
	seldonErrorRatio = ratioOrZero(sumByVersion(seldonLabels(`rate(seldon_model_infer_total{code!~"2..|OK"}[{{window}}])`)), seldonCalls)
)

// seldonLabels takes version from the suffix of model_internal.
func seldonLabels(expr string) string {
	return `label_replace(` + expr + `, "version", "$1", "model_internal", ".+_([0-9]+)")`
}
