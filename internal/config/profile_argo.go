package config

// argoRolloutsProfile reads the Argo Rollouts controller's rollout state.
//
// Names and labels: argoproj/argo-rollouts controller/metrics/prommetrics.go
// and controller/metrics/rollouts.go: rollout_info{name, namespace, strategy,
// traffic_router, phase} = 1, and the deprecated one-hot
// rollout_phase{name, namespace, strategy, phase} that older controllers
// export instead of the phase label. Phases are the controller's
// (Completed, Progressing, Paused, Timeout, Error, Abort, InvalidSpec); they
// are mapped onto mltop's (Healthy, Progressing, Paused, Degraded, Aborted),
// and the strategy blueGreen onto blue-green.
//
// The Rollout is assumed to be named after the model: its name becomes model.
// The controller exports no step, step count or traffic weight, so those
// roles are left to other profiles.
var argoRolloutsProfile = []Query{
	{Role: "rollout_info", Expr: "max by (model, phase, strategy) (" + argoNames(argoPhases(
		`max by (name, phase, strategy) (rollout_info{phase!=""} or rollout_phase == 1)`)) + ")"},
}

func argoNames(expr string) string {
	return mapValue(copyLabel(expr, "model", "name"), "strategy", "blue-green", "blueGreen")
}

func argoPhases(expr string) string {
	expr = mapValue(expr, "phase", "Healthy", "Completed")
	expr = mapValue(expr, "phase", "Degraded", "Timeout|Error|InvalidSpec")
	return mapValue(expr, "phase", "Aborted", "Abort")
}
