package config

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Action kinds, as SPEC names them.
const (
	KindMLflowAlias   = "mlflow-alias"
	KindMLflowStage   = "mlflow-stage"
	KindWebhook       = "webhook"
	KindAirflow       = "airflow"
	KindArgoWorkflows = "argo-workflows"
	KindKubeflow      = "kubeflow"
	KindGitHub        = "github"
)

var (
	rollbackKinds = []string{KindMLflowAlias, KindMLflowStage, KindWebhook}
	retrainKinds  = []string{KindAirflow, KindArgoWorkflows, KindKubeflow, KindGitHub, KindWebhook}
	// Custom actions trigger something outside mltop, as a retrain does.
	customKinds = retrainKinds
	// healthStates are the values actions.custom[].states accepts.
	healthStates = []string{"ok", "warn", "critical", "unknown"}
)

// requiredFields lists, per kind, the keys it cannot work without.
var requiredFields = map[string][]string{
	KindWebhook:       {"url"},
	KindAirflow:       {"url", "dag"},
	KindArgoWorkflows: {"url", "template"},
	KindKubeflow:      {"url", "pipeline_id"},
	KindGitHub:        {"repo", "workflow"},
}

func (v *validator) actions(a *Actions) {
	v.action("actions.rollback", &a.Rollback, rollbackKinds)
	// Retrain is optional: only check it once something of it is written.
	if a.Retrain.Kind != "" || v.src.hasUnder("actions.retrain") {
		v.action("actions.retrain", &a.Retrain, retrainKinds)
	}
	for tag, values := range a.TypedName {
		if strings.TrimSpace(tag) == "" || len(values) == 0 {
			v.errorf("actions.typed_name", "want tag: [values], got %q: %v", tag, values)
		}
	}
	byKey := map[string]int{}
	for i := range a.Custom {
		c := &a.Custom[i]
		key := indexKey("actions.custom", i)
		switch first, dup := byKey[c.Key]; {
		case c.Key == "":
			v.errorf(key+".key", "is required")
		case !singlePrintable(c.Key):
			v.errorf(key+".key", "must be one printable character, got %q", c.Key)
		case dup:
			v.errorf(key+".key", "%q is already bound by actions.custom[%d]", c.Key, first)
		default:
			byKey[c.Key] = i
		}
		if strings.TrimSpace(c.Title) == "" {
			v.errorf(key+".title", "is required")
		}
		v.action(key, &c.Action, customKinds)
		v.personRole(key+".role", c.Role)
		for j, s := range c.States {
			if !slices.Contains(healthStates, s) {
				v.errorf(indexKey(key+".states", j), "%s", unknownMsg("state", s, healthStates, true))
			}
		}
	}
}

func (v *validator) action(key string, a *Action, kinds []string) {
	switch {
	case a.Kind == "":
		v.errorf(key+".kind", "is required (one of: %s)", strings.Join(kinds, ", "))
		return
	case !slices.Contains(kinds, a.Kind):
		v.errorf(key+".kind", "%s", unknownMsg("kind", a.Kind, kinds, true))
		return
	}
	if a.URL != "" {
		v.httpURL(key+".url", a.URL)
	}
	v.headers(key+".headers", a.Headers)
	values := map[string]string{
		"url": a.URL, "dag": a.DAG, "template": a.Template,
		"pipeline_id": a.PipelineID, "repo": a.Repo, "workflow": a.Workflow,
	}
	for _, f := range requiredFields[a.Kind] {
		if strings.TrimSpace(values[f]) == "" {
			v.errorAt(key+".kind", key+"."+f, "is required for kind %s", a.Kind)
		}
	}
	if a.Kind == KindAirflow && a.APIVersion != 0 && a.APIVersion != 1 && a.APIVersion != 2 {
		v.errorf(key+".api_version", "must be 1 or 2 (Airflow 3), got %d", a.APIVersion)
	}
	if a.Kind == KindGitHub && a.Repo != "" {
		if owner, name, ok := strings.Cut(a.Repo, "/"); !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			v.errorf(key+".repo", "want OWNER/NAME, got %q", a.Repo)
		}
	}
}

// singlePrintable reports whether s is exactly one visible character.
func singlePrintable(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return size == len(s) && r != utf8.RuneError && unicode.IsPrint(r) && !unicode.IsSpace(r)
}
