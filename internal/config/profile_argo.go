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
//
// Analysis runs (controller/metrics/analysis.go, collectAnalysisRuns):
// analysis_run_info{namespace, name, phase} = 1 and the one-hot
// analysis_run_metric_phase{namespace, name, metric, type, dry_run, phase}.
// Neither names the rollout: the controller names a rollout's runs
// "<rollout>-<pod hash>-<revision>[-<step>|-pre|-post]"
// (rollout/analysis.go, newAnalysisRunFromRollout), so the rollout, and so
// the model, is read back from the run's name. Dry-run metrics are left
// out: they never decide the rollout.
var argoRolloutsProfile = []Query{
	{Role: "rollout_info", Expr: "max by (model, phase, strategy) (" + argoNames(argoPhases(
		`max by (name, phase, strategy) (rollout_info{phase!=""} or rollout_phase == 1)`)) + ")"},
	{Role: "analysis_run", Expr: "max by (model, run, phase) (" + argoRuns(`analysis_run_info{name=~"`+argoRunName+`"}`) + ")"},
	{Role: "analysis_metric", Expr: "max by (model, run, metric, phase) (" +
		argoRuns(`analysis_run_metric_phase{dry_run!="true",name=~"`+argoRunName+`"} == 1`) + ")"},
}

// argoRunName matches the name of a rollout's analysis run, the rollout's
// name first; pod hashes are of Kubernetes' safe alphabet.
const argoRunName = `(.+?)-[bcdfghjklmnpqrstvwxz2456789]+-[0-9]+(?:-(?:[0-9]+|pre|post))?`

func argoRuns(expr string) string {
	return `label_replace(` + copyLabel(expr, "run", "name") + `, "model", "$1", "name", "` + argoRunName + `")`
}

func argoNames(expr string) string {
	return mapValue(copyLabel(expr, "model", "name"), "strategy", "blue-green", "blueGreen")
}

func argoPhases(expr string) string {
	expr = mapValue(expr, "phase", "Healthy", "Completed")
	expr = mapValue(expr, "phase", "Degraded", "Timeout|Error|InvalidSpec")
	return mapValue(expr, "phase", "Aborted", "Abort")
}
