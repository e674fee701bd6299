package profilecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A current Argo Rollouts controller (argoproj/argo-rollouts
// controller/metrics/rollouts.go, collectRollouts): rollout_info with phase,
// strategy and traffic_router, plus the deprecated one-hot rollout_phase.
const argoCurrent = `# HELP rollout_info Information about rollout.
# TYPE rollout_info gauge
rollout_info{name="fraud",namespace="prod",phase="Paused",strategy="canary",traffic_router="Istio"} 1
rollout_info{name="churn",namespace="prod",phase="Abort",strategy="canary",traffic_router=""} 1
rollout_info{name="ranker",namespace="prod",phase="Timeout",strategy="blueGreen",traffic_router=""} 1
# HELP rollout_phase Information on the state of the rollout (DEPRECATED - use rollout_info)
# TYPE rollout_phase gauge
rollout_phase{name="fraud",namespace="prod",phase="Completed",strategy="canary"} 0
rollout_phase{name="fraud",namespace="prod",phase="Progressing",strategy="canary"} 0
rollout_phase{name="fraud",namespace="prod",phase="Paused",strategy="canary"} 1
rollout_phase{name="churn",namespace="prod",phase="Completed",strategy="canary"} 0
rollout_phase{name="churn",namespace="prod",phase="Abort",strategy="canary"} 1
rollout_phase{name="ranker",namespace="prod",phase="Completed",strategy="blueGreen"} 0
rollout_phase{name="ranker",namespace="prod",phase="Timeout",strategy="blueGreen"} 1
`

// An older controller (the same file before rollout_info had a phase): the
// phase is only in the one-hot rollout_phase.
const argoOlder = `# HELP rollout_info Information about rollout.
# TYPE rollout_info gauge
rollout_info{name="legacy",namespace="ml",strategy="canary"} 1
# HELP rollout_phase Information on the state of the rollout
# TYPE rollout_phase gauge
rollout_phase{name="legacy",namespace="ml",phase="Completed",strategy="canary"} 0
rollout_phase{name="legacy",namespace="ml",phase="Progressing",strategy="canary"} 0
rollout_phase{name="legacy",namespace="ml",phase="Error",strategy="canary"} 1
`

func TestArgoRolloutsProfileMapsPhasesAndStrategies(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, argoCurrent, argoOlder), "argo-rollouts")
	expect(t, "rollout_info", got["rollout_info"],
		want{lbl("model", "fraud", "phase", "Paused", "strategy", "canary"), 1},
		want{lbl("model", "churn", "phase", "Aborted", "strategy", "canary"), 1},
		want{lbl("model", "ranker", "phase", "Degraded", "strategy", "blue-green"), 1},
		want{lbl("model", "legacy", "phase", "Degraded", "strategy", "canary"), 1},
	)
}

// fluxcd/flagger pkg/metrics/recorder.go: flagger_canary_status{name,
// namespace} (0 running, 1 done, 2 failed) and flagger_canary_weight{workload,
// namespace} for the canary "<name>" and "<name>-primary".
const flaggerExposition = `# HELP flagger_canary_status Last canary analysis result
# TYPE flagger_canary_status gauge
flagger_canary_status{name="fraud",namespace="prod"} 0
flagger_canary_status{name="churn",namespace="prod"} 1
flagger_canary_status{name="ranker",namespace="prod"} 2
# HELP flagger_canary_weight The virtual service destination weight current value
# TYPE flagger_canary_weight gauge
flagger_canary_weight{namespace="prod",workload="fraud"} 20
flagger_canary_weight{namespace="prod",workload="fraud-primary"} 80
flagger_canary_weight{namespace="prod",workload="churn"} 0
flagger_canary_weight{namespace="prod",workload="churn-primary"} 100
flagger_canary_weight{namespace="prod",workload="ranker"} 0
flagger_canary_weight{namespace="prod",workload="ranker-primary"} 100
# HELP flagger_canary_total Total number of canary object
# TYPE flagger_canary_total gauge
flagger_canary_total{namespace="prod"} 3
`

func TestFlaggerProfile(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, flaggerExposition), "flagger")
	if len(got) != 3 {
		t.Fatalf("flagger fills %d roles, want 3", len(got))
	}
	expect(t, "rollout_info", got["rollout_info"],
		want{lbl("model", "fraud", "phase", "Progressing"), 1},
		want{lbl("model", "churn", "phase", "Healthy"), 1},
		want{lbl("model", "ranker", "phase", "Aborted"), 1},
	)
	// Flagger knows no versions: the canary's weight is on version "".
	expect(t, "traffic_weight", got["traffic_weight"],
		want{lbl("model", "fraud", "track", "canary"), 20},
		want{lbl("model", "churn", "track", "canary"), 0},
		want{lbl("model", "ranker", "track", "canary"), 0},
	)
	expect(t, "rollout_set_weight", got["rollout_set_weight"],
		want{lbl("model", "fraud"), 20}, want{lbl("model", "churn"), 0}, want{lbl("model", "ranker"), 0})
}

// docs/profiles.md tells users whose Rollouts are not named after the model
// to copy the query and change the label_replace that sets model.
func TestArgoRolloutsNameOverride(t *testing.T) {
	const exposition = `# TYPE rollout_info gauge
rollout_info{name="fraud-serving",namespace="prod",phase="Progressing",strategy="canary",traffic_router="Nginx"} 1
`
	qs, err := profileConfig("argo-rollouts").Queries()
	if err != nil || len(qs) == 0 || qs[0].Role != "rollout_info" {
		t.Fatalf("argo-rollouts queries %v: %v; want rollout_info first", qs, err)
	}
	from, to := `"model", "$1", "name", "(.*)"`, `"model", "$1", "name", "(.+)-serving"`
	if !strings.Contains(qs[0].Expr, from) {
		t.Fatalf("the documented override no longer applies: %q not in %q", from, qs[0].Expr)
	}
	c := profileConfig("argo-rollouts")
	c.Prometheus.Queries = map[string]string{"rollout_info": strings.Replace(qs[0].Expr, from, to, 1)}
	got := evaluateConfig(t, scrapeGrowing(t, exposition), c)
	expect(t, "rollout_info", got["rollout_info"],
		want{lbl("model", "fraud", "phase", "Progressing", "strategy", "canary"), 1})
}

// argoproj/argo-rollouts v1.10.1 controller/metrics/analysis.go,
// collectAnalysisRuns: analysis_run_info{namespace, name, phase} = 1 and the
// one-hot analysis_run_metric_phase{namespace, name, metric, type, dry_run,
// phase}. Runs are named "<rollout>-<pod hash>-<revision>[-<step>]"
// (rollout/analysis.go); "fraud-v2" is a second rollout whose name starts
// like the first's, and "adhoc" a run no rollout made.
const argoAnalysis = `# TYPE analysis_run_info gauge
analysis_run_info{name="fraud-6d4b8c9f7-3-1",namespace="prod",phase="Failed"} 1
analysis_run_info{name="fraud-6d4b8c9f7-3",namespace="prod",phase="Running"} 1
analysis_run_info{name="fraud-v2-5f7b9c-12-pre",namespace="prod",phase="Successful"} 1
analysis_run_info{name="adhoc",namespace="prod",phase="Failed"} 1
# TYPE analysis_run_metric_phase gauge
analysis_run_metric_phase{dry_run="false",metric="error-rate",name="fraud-6d4b8c9f7-3-1",namespace="prod",phase="Failed",type="Web"} 1
analysis_run_metric_phase{dry_run="false",metric="error-rate",name="fraud-6d4b8c9f7-3-1",namespace="prod",phase="Successful",type="Web"} 0
analysis_run_metric_phase{dry_run="false",metric="latency",name="fraud-6d4b8c9f7-3-1",namespace="prod",phase="Successful",type="Web"} 1
analysis_run_metric_phase{dry_run="true",metric="shadow-check",name="fraud-6d4b8c9f7-3-1",namespace="prod",phase="Failed",type="Web"} 1
analysis_run_metric_phase{dry_run="false",metric="verdict",name="fraud-v2-5f7b9c-12-pre",namespace="prod",phase="Successful",type="Web"} 1
`

// The analysis roles read the rollout (the model) back from the run's
// name, keep each run's and metric's phase, and leave out dry-run metrics
// and runs no rollout made.
func TestArgoRolloutsAnalysisRuns(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, argoAnalysis), "argo-rollouts")
	expect(t, "analysis_run", got["analysis_run"],
		want{lbl("model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "phase", "Failed"), 1},
		want{lbl("model", "fraud", "run", "fraud-6d4b8c9f7-3", "phase", "Running"), 1},
		want{lbl("model", "fraud-v2", "run", "fraud-v2-5f7b9c-12-pre", "phase", "Successful"), 1},
	)
	expect(t, "analysis_metric", got["analysis_metric"],
		want{lbl("model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "metric", "error-rate", "phase", "Failed"), 1},
		want{lbl("model", "fraud", "run", "fraud-6d4b8c9f7-3-1", "metric", "latency", "phase", "Successful"), 1},
		want{lbl("model", "fraud-v2", "run", "fraud-v2-5f7b9c-12-pre", "metric", "verdict", "phase", "Successful"), 1},
	)
}

// The same on the real controller's output (testdata, recorded by our
// own test against it): the failed step analysis of the rollout judged.
func TestArgoRolloutsAnalysisOnRecordedOutput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "argo-rollouts-analysis.prom"))
	if err != nil {
		t.Fatal(err)
	}
	got := evaluate(t, scrapeGrowing(t, string(b)), "argo-rollouts")
	run := "judged-7c846bd6f6-2-1"
	expect(t, "analysis_run", got["analysis_run"], want{lbl("model", "judged", "run", run, "phase", "Failed"), 1})
	expect(t, "analysis_metric", got["analysis_metric"],
		want{lbl("model", "judged", "run", run, "metric", "error-rate", "phase", "Failed"), 1},
		want{lbl("model", "judged", "run", run, "metric", "latency", "phase", "Successful"), 1})
}
