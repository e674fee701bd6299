package actions

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// Every kind registers with both the loader and the executor, and has its
// section in docs/actions.md.
func TestKindsRegisteredAndDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/actions.md")
	if err != nil {
		t.Fatal(err)
	}
	names := config.ActionKindNames("")
	if len(names) < 7 {
		t.Fatalf("only %d kinds registered: %v", len(names), names)
	}
	for _, name := range names {
		if _, ok := kinds[name]; !ok {
			t.Errorf("kind %s is known to the loader but has no adapter", name)
		}
		if !strings.Contains(string(doc), "| `"+name+"`") {
			t.Errorf("docs/actions.md has no row for kind %s", name)
		}
	}
	if len(kinds) != len(names) {
		t.Errorf("executor kinds %d, loader kinds %d", len(kinds), len(names))
	}
}

// New applies the kind's checks and defaults to actions built in code, as
// the loader does to those read from a file.
func TestNewChecksAndFinishesLikeTheLoader(t *testing.T) {
	log := audit.New(t.TempDir() + "/a")
	_, err := New(Options{Audit: log, Actions: config.Actions{
		Retrain: config.Action{Kind: kindGitHub, Params: &GitHubParams{Repo: "acme", Workflow: "ci.yml"}},
	}})
	if err == nil || !strings.Contains(err.Error(), `actions.retrain: repo: want OWNER/NAME, got "acme"`) {
		t.Errorf("bad repo: error %v", err)
	}
	_, err = New(Options{Audit: log, Actions: config.Actions{Rollback: config.Action{Kind: kindAirflow, URL: "http://h", Params: &AirflowParams{DAG: "d"}}}})
	if err == nil || !strings.Contains(err.Error(), `unknown kind "airflow"`) {
		t.Errorf("airflow as a rollback: error %v", err)
	}
	ex, err := New(Options{Audit: log, Actions: config.Actions{
		Retrain: config.Action{Kind: kindArgoWorkflows, URL: "http://argo:2746", Params: &ArgoParams{Template: "t"}},
		Custom: []config.CustomAction{{Key: "g", Title: "Build", Role: config.RoleOperator,
			Action: config.Action{Kind: kindGitHub, Params: &GitHubParams{Repo: "acme/m", Workflow: "ci.yml"}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, s := range ex.Specs() {
		if s.Kind == kindAlertmanager {
			continue // no Alertmanager configured: listed, Missing
		}
		targets = append(targets, ex.adapters[s.Action].target())
	}
	want := []string{"http://argo:2746/api/v1/workflows/default/submit", "https://api.github.com/repos/acme/m/actions/workflows/ci.yml/dispatches"}
	if !slices.Equal(targets, want) {
		t.Errorf("targets %v, want %v", targets, want)
	}
}
