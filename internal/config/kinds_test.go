package config_test

import (
	"slices"
	"strings"
	"testing"

	// The action kinds register themselves from internal/actions, as they
	// do in mltop; the loader knows no kind without them.
	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
)

func TestActionKindsPerUse(t *testing.T) {
	for use, want := range map[string][]string{
		config.UseRollback: {"mlflow-alias", "mlflow-stage", "webhook"},
		config.UseRetrain:  {"airflow", "argo-workflows", "github", "kubeflow", "webhook"},
	} {
		if got := config.ActionKindNames(use); !slices.Equal(got, want) {
			t.Errorf("kinds for %s = %v, want %v", use, got, want)
		}
	}
	custom := config.ActionKindNames(config.UseCustom)
	for _, k := range config.ActionKindNames(config.UseRetrain) {
		if !slices.Contains(custom, k) {
			t.Errorf("kind %s runs a retrain but not a custom action (custom: %v)", k, custom)
		}
	}
}

// A kind's defaults come from its own file, whether the action was loaded
// or built in code.
func TestActionDefaultsOnePlace(t *testing.T) {
	c := mustParse(t, "actions:\n  retrain: {kind: github, repo: acme/models, workflow: ci.yml}\n", nil)
	built := config.Action{Kind: "github", Params: &actions.GitHubParams{Repo: "acme/models", Workflow: "ci.yml"}}
	if err := config.FinishAction(&built, config.UseRetrain); err != nil {
		t.Fatal(err)
	}
	loaded := c.Actions.Retrain
	if loaded.URL != "https://api.github.com" || built.URL != loaded.URL {
		t.Errorf("url: loaded %q, built %q, want https://api.github.com", loaded.URL, built.URL)
	}
	lp, bp := loaded.Params.(*actions.GitHubParams), built.Params.(*actions.GitHubParams)
	if *lp != *bp || lp.Ref != "main" {
		t.Errorf("params: loaded %+v, built %+v, want ref main", *lp, *bp)
	}
}

func TestFinishActionLeavesTheCallersParams(t *testing.T) {
	p := &actions.GitHubParams{Repo: "acme/models", Workflow: "ci.yml"}
	a := config.Action{Kind: "github", Params: p}
	if err := config.FinishAction(&a, config.UseCustom); err != nil {
		t.Fatal(err)
	}
	if p.Ref != "" || a.Params.(*actions.GitHubParams).Ref != "main" {
		t.Errorf("caller's ref %q (want it unset), finished ref %q", p.Ref, a.Params.(*actions.GitHubParams).Ref)
	}
}

func TestFinishActionReportsEveryProblem(t *testing.T) {
	a := config.Action{Kind: "airflow", URL: "ftp://h", Params: &actions.AirflowParams{APIVersion: 9}}
	err := config.FinishAction(&a, config.UseRetrain)
	want := []string{`url: not an http or https URL: "ftp://h"`, "dag: is required for kind airflow", "api_version: must be 1 or 2"}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	b := config.Action{Kind: "github", Params: &actions.AirflowParams{DAG: "d"}}
	if err := config.FinishAction(&b, config.UseRetrain); err == nil || !strings.Contains(err.Error(), "not the keys of kind github") {
		t.Errorf("params of another kind: error %v", err)
	}
}
