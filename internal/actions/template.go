package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"text/template"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// TemplateData is what a `body` template sees, and what the default bodies
// are built from. Strings in a JSON body should go through the json
// function: {"model": {{json .Model}}}.
type TemplateData struct {
	Action    string // rollback, retrain, or the custom key
	Title     string
	RequestID string
	Model     string
	Version   string // the version serving now; "" when unknown
	From, To  string // rollback: the serving version and the one to return to
	Alias     string // the registry's serving alias
	Canary    string // a candidate version being rolled out, if any
	Reason    string
	Actor     Actor
	Summary   Summary

	traffic traffic      // who serves what now, for the plan's meaning; not for templates
	rollout *rolloutSeen // the Rollout a rollout verb read; not for templates
	canary  *canarySeen  // the Flagger canary's gates (and Canary) a rollout verb read
	// tags are the registered model's tags (serving.rollout names its Rollout).
	tags map[string]string
	// evidence is the canary's verdict a rollout verb's plan shows.
	evidence *fleet.Verdict
	// silence is what a silence action asked for and its plan read.
	silence *silenceSeen
}

// templateFuncs are the functions a body template may call.
var templateFuncs = template.FuncMap{
	// json writes v as JSON: a quoted, escaped string for a string.
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

func parseBody(text string) (*template.Template, error) {
	if text == "" {
		return nil, nil
	}
	t, err := template.New("body").Funcs(templateFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	return t, nil
}

func render(t *template.Template, d TemplateData) ([]byte, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("body template: %w", err)
	}
	return b.Bytes(), nil
}

// defaultBody is the webhook's JSON when no template is given.
type defaultBody struct {
	Action    string   `json:"action"`
	RequestID string   `json:"request_id"`
	Model     string   `json:"model"`
	Version   string   `json:"version,omitempty"`
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	Alias     string   `json:"alias,omitempty"`
	Reason    string   `json:"reason"`
	Actor     Actor    `json:"actor"`
	Summary   *Summary `json:"summary,omitempty"`
}

func newDefaultBody(d TemplateData) defaultBody {
	b := defaultBody{
		Action: d.Action, RequestID: d.RequestID, Model: d.Model, Version: d.Version,
		Reason: d.Reason, Actor: d.Actor,
	}
	if d.Action == Rollback {
		b.From, b.To, b.Alias = d.From, d.To, d.Alias
	} else {
		s := d.Summary
		b.Summary = &s
	}
	return b
}

// params are the string parameters pipelines receive (Argo parameters,
// GitHub inputs, Kubeflow and Airflow conf).
func params(d TemplateData) map[string]string {
	return map[string]string{
		"model": d.Model, "version": d.Version, "reason": d.Reason,
		"summary": human.Clip(d.Summary.Text(), 1000), "request_id": d.RequestID,
	}
}
