package config

// flaggerProfile reads Flagger's canary state.
//
// Names and labels: fluxcd/flagger pkg/metrics/recorder.go:
// flagger_canary_status{name, namespace} is 0 while the analysis runs, 2 when
// it failed (and Flagger routed traffic back to the primary), 1 otherwise;
// flagger_canary_weight{workload, namespace} is the weight Flagger set, for
// workload "<name>" (the canary) and "<name>-primary".
//
// The canary's target is assumed to be named after the model. Flagger knows
// no model versions, so the canary's weight lands on version "" with track
// canary; it is also the weight the rollout asks for. Flagger exports no
// strategy and no steps.
var flaggerProfile = []Query{
	{Role: "traffic_weight", Expr: "max by (model, version, track) (" + setLabel(flaggerCanaryWeight, "track", "canary") + ")"},
	{Role: "rollout_info", Expr: "max by (model, phase, strategy) (" + copyLabel(
		flaggerPhase("0", "Progressing")+" or "+flaggerPhase("1", "Healthy")+" or "+flaggerPhase("2", "Aborted"),
		"model", "name") + ")"},
	{Role: "rollout_set_weight", Expr: "max by (model) (" + flaggerCanaryWeight + ")"},
}

var flaggerCanaryWeight = copyLabel(`flagger_canary_weight{workload!~".+-primary"}`, "model", "workload")

// flaggerPhase is 1, labelled phase, for the canaries whose status is status.
func flaggerPhase(status, phase string) string {
	return setLabel("0 * (max by (name) (flagger_canary_status) == "+status+") + 1", "phase", phase)
}
