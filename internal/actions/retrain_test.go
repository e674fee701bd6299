package actions

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// retrain runs one retrain of the drifting churn model with cfg against a
// receiver answering reply, and returns the result and the request sent.
func retrain(t *testing.T, cfg func(url string) config.Action, reply func(w http.ResponseWriter, r *http.Request, c captured)) (fixture, Result, captured) {
	t.Helper()
	rc := newReceiver(t, reply)
	f := newFixture(t, config.Actions{Retrain: cfg(rc.URL), RequireReason: true}, nil)
	res := f.ex.Execute(ctx(t), Request{ID: "mltop-00000000000000aa", Action: Retrain, Model: "churn-predictor",
		Reason: "drift on tenure", Actor: f.actor, Snapshot: driftingModel()})
	return f, res, rc.only(t)
}

func jsonReply(status int, body string) func(w http.ResponseWriter, r *http.Request, c captured) {
	return func(w http.ResponseWriter, r *http.Request, c captured) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestRetrainAirflowV1(t *testing.T) {
	token := writeFile(t, "token", "airflow-token-1234")
	f, res, c := retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindAirflow, URL: u + "/", TokenFile: token, Params: &AirflowParams{DAG: "retrain_churn"}}
	}, jsonReply(200, `{"dag_run_id":"mltop-00000000000000aa","state":"queued"}`))
	if c.Method != "POST" || c.Path != "/api/v1/dags/retrain_churn/dagRuns" {
		t.Errorf("sent %s %s", c.Method, c.Path)
	}
	if c.Header.Get("Authorization") != "Bearer airflow-token-1234" || c.Header.Get("Idempotency-Key") != "mltop-00000000000000aa" {
		t.Errorf("headers %v", c.Header)
	}
	body := c.json(t)
	if body["dag_run_id"] != "mltop-00000000000000aa" {
		t.Errorf("dag_run_id %v", body["dag_run_id"])
	}
	if _, ok := body["logical_date"]; ok {
		t.Error("API v1 body has logical_date")
	}
	conf, _ := body["conf"].(map[string]any)
	summary, _ := conf["summary"].(map[string]any)
	if conf["model"] != "churn-predictor" || conf["version"] != "3" || conf["reason"] != "drift on tenure" ||
		summary["health"] != "warn" || summary["drift_feature"] != "tenure" || summary["drift_score"] != 0.31 ||
		summary["metric"] != "f1" || summary["quality"] != 0.72 || summary["baseline"] != 0.78 {
		t.Errorf("conf %v", conf)
	}
	if res.Outcome != Succeeded || res.RunID != "mltop-00000000000000aa" || !strings.Contains(res.RunURL, "/dags/retrain_churn/grid") {
		t.Errorf("result %+v", res)
	}
	rs := f.records(t)
	if len(rs) != 2 || rs[1].Response == nil || rs[1].Response.RunID != "mltop-00000000000000aa" || rs[1].Before["version"] != "3" {
		t.Errorf("records %+v", rs)
	}
}

func TestRetrainAirflowV2(t *testing.T) {
	for name, cfg := range map[string]func(string) config.Action{
		"by url": func(u string) config.Action {
			return config.Action{Kind: kindAirflow, URL: u + "/api/v2", Params: &AirflowParams{DAG: "retrain"}}
		},
		"by config": func(u string) config.Action {
			return config.Action{Kind: kindAirflow, URL: u, Params: &AirflowParams{DAG: "retrain", APIVersion: 2}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, res, c := retrain(t, cfg, jsonReply(200, `{"dag_run_id":"mltop-00000000000000aa"}`))
			if c.Path != "/api/v2/dags/retrain/dagRuns" {
				t.Errorf("path %s", c.Path)
			}
			body := c.json(t)
			if v, ok := body["logical_date"]; !ok || v != nil {
				t.Errorf("logical_date %v (present %v), want null", v, ok)
			}
			if body["dag_run_id"] != "mltop-00000000000000aa" || body["conf"] == nil {
				t.Errorf("body %v", body)
			}
			if !strings.HasSuffix(res.RunURL, "/dags/retrain/runs/mltop-00000000000000aa") {
				t.Errorf("run url %q", res.RunURL)
			}
		})
	}
}

func TestRetrainArgoWorkflows(t *testing.T) {
	_, res, c := retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindArgoWorkflows, URL: u, Params: &ArgoParams{Template: "retrain-churn", Namespace: "ml"}}
	}, jsonReply(200, `{"metadata":{"name":"mltop-00000000000000aa","namespace":"ml"}}`))
	if c.Method != "POST" || c.Path != "/api/v1/workflows/ml/submit" {
		t.Errorf("sent %s %s", c.Method, c.Path)
	}
	body := c.json(t)
	opts, _ := body["submitOptions"].(map[string]any)
	var ps []string
	for _, p := range opts["parameters"].([]any) {
		ps = append(ps, p.(string))
	}
	for _, want := range []string{"model=churn-predictor", "version=3", "reason=drift on tenure", "request_id=mltop-00000000000000aa"} {
		if !slices.Contains(ps, want) {
			t.Errorf("parameters %q lack %q", ps, want)
		}
	}
	if body["resourceKind"] != "WorkflowTemplate" || body["resourceName"] != "retrain-churn" || opts["name"] != "mltop-00000000000000aa" {
		t.Errorf("body %v", body)
	}
	if res.RunID != "mltop-00000000000000aa" || !strings.HasSuffix(res.RunURL, "/workflows/ml/mltop-00000000000000aa") {
		t.Errorf("result %+v", res)
	}
}

func TestRetrainKubeflow(t *testing.T) {
	_, res, c := retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindKubeflow, URL: u, Params: &KubeflowParams{PipelineID: "pipe-123"}}
	}, jsonReply(200, `{"run_id":"run-9","state":"PENDING"}`))
	if c.Method != "POST" || c.Path != "/apis/v2beta1/runs" {
		t.Errorf("sent %s %s", c.Method, c.Path)
	}
	body := c.json(t)
	ref, _ := body["pipeline_version_reference"].(map[string]any)
	rt, _ := body["runtime_config"].(map[string]any)
	ps, _ := rt["parameters"].(map[string]any)
	if ref["pipeline_id"] != "pipe-123" || ps["model"] != "churn-predictor" || ps["version"] != "3" || ps["reason"] != "drift on tenure" {
		t.Errorf("body %v", body)
	}
	mustContain(t, "display_name", body["display_name"].(string), "churn-predictor", "mltop-00000000000000aa")
	mustContain(t, "summary parameter", ps["summary"].(string), "warn", "drift psi 0.31 on tenure", "f1 0.72 vs 0.78 offline")
	if res.RunID != "run-9" || res.Outcome != Succeeded {
		t.Errorf("result %+v", res)
	}
}

func TestRetrainGitHub(t *testing.T) {
	token := writeFile(t, "gh", "ghp_exampletoken0000")
	_, res, c := retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindGitHub, URL: u, TokenFile: token, Params: &GitHubParams{Repo: "acme/models", Workflow: "retrain.yml", Ref: "main"}}
	}, func(w http.ResponseWriter, r *http.Request, c captured) { w.WriteHeader(http.StatusNoContent) })
	if c.Method != "POST" || c.Path != "/repos/acme/models/actions/workflows/retrain.yml/dispatches" {
		t.Errorf("sent %s %s", c.Method, c.Path)
	}
	for k, want := range map[string]string{
		"Authorization": "Bearer ghp_exampletoken0000", "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
	} {
		if got := c.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	body := c.json(t)
	inputs, _ := body["inputs"].(map[string]any)
	if body["ref"] != "main" || inputs["model"] != "churn-predictor" || inputs["version"] != "3" || inputs["reason"] != "drift on tenure" {
		t.Errorf("body %v", body)
	}
	for k, v := range inputs {
		if _, ok := v.(string); !ok {
			t.Errorf("input %s is %T; workflow_dispatch inputs are strings", k, v)
		}
	}
	if res.Outcome != Succeeded || res.Status != 204 || res.Message != "dispatched; see the Actions tab" ||
		!strings.HasSuffix(res.RunURL, "/acme/models/actions/workflows/retrain.yml") {
		t.Errorf("result %+v", res)
	}
}

func TestRetrainWebhookDefaultBodyAndTemplate(t *testing.T) {
	reply := jsonReply(202, `{"run_id":"r-1","url":"http://127.0.0.1/runs/r-1","state":"queued"}`)
	_, res, c := retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindWebhook, URL: u + "/retrain"}
	}, reply)
	body := c.json(t)
	summary, _ := body["summary"].(map[string]any)
	if body["action"] != "retrain" || body["model"] != "churn-predictor" || body["version"] != "3" || body["reason"] != "drift on tenure" ||
		body["request_id"] != "mltop-00000000000000aa" || summary["drift_feature"] != "tenure" {
		t.Errorf("default body %v", body)
	}
	if res.Status != 202 || res.RunID != "r-1" || res.RunURL != "http://127.0.0.1/runs/r-1" {
		t.Errorf("result %+v", res)
	}

	_, _, c = retrain(t, func(u string) config.Action {
		return config.Action{Kind: kindWebhook, URL: u, Body: `{"text": {{json (printf "%s: %s" .Model .Reason)}}, "id": {{json .RequestID}}}`}
	}, reply)
	body = c.json(t)
	if body["text"] != "churn-predictor: drift on tenure" || body["id"] != "mltop-00000000000000aa" {
		t.Errorf("templated body %v", body)
	}
}

func TestTemplateEscapesJSON(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, config.Actions{Retrain: config.Action{Kind: kindWebhook, URL: rc.URL, Body: `{"reason": {{json .Reason}}}`}}, nil)
	res := f.ex.Execute(ctx(t), Request{Action: Retrain, Model: "m", Reason: `a "quoted" reason, with \ and` + "\n", Actor: f.actor})
	if res.Outcome != Succeeded {
		t.Fatalf("result %+v", res)
	}
	if got := rc.only(t).json(t)["reason"]; got != `a "quoted" reason, with \ and` {
		t.Errorf("reason %q", got)
	}
}

func TestBadTemplateIsAConfigError(t *testing.T) {
	_, err := New(Options{Audit: audit.New(t.TempDir() + "/a"), Actions: config.Actions{
		Retrain: config.Action{Kind: kindWebhook, URL: "http://127.0.0.1:1", Body: `{{.Model`},
	}})
	if err == nil || !strings.Contains(err.Error(), "actions.retrain") {
		t.Errorf("err %v", err)
	}
}
