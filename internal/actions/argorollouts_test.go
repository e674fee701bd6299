package actions

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// fakeKube serves one Rollout over TLS and answers patches with patch
// (default: 200 with the object). The real API server is in cmd/mltop's
// integration test; this one covers what needs a misbehaving server.
type fakeKube struct {
	*httptest.Server
	mu      sync.Mutex
	obj     string
	patches []captured
	gets    []string // the paths read
	// analysis answers GETs of analysis runs: the object, or "" for 403.
	analysis string
	// runs answers lists of analysis runs: the list, or "" for 403.
	runs    string
	queries []string // the queries of those lists
	// missing makes every GET of a Rollout a 404.
	missing bool
	// gate, when set, holds every request until it is closed (set it
	// before the server is asked).
	gate    chan struct{}
	patch   func(w http.ResponseWriter, c captured)
	caFile  string
	tokFile string
}

const fakeRollout = `{"metadata":{"name":"fraud","namespace":"default","resourceVersion":"7","generation":1},
 "spec":{"paused":true,"strategy":{"canary":{"steps":[{"setWeight":25},{"pause":{}},{"setWeight":50}]}}},
 "status":{"phase":"Paused","currentStepIndex":1,"currentPodHash":"b","stableRS":"a","observedGeneration":"1",
  "pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2026-12-07T05:50:00Z"}]}}`

func newFakeKube(t *testing.T) *fakeKube {
	t.Helper()
	f := &fakeKube{obj: fakeRollout}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		b, _ := io.ReadAll(r.Body)
		if f.gate != nil {
			<-f.gate
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Method == "GET" {
			f.gets = append(f.gets, r.URL.Path)
			// answer writes body, or the API's refusal when it is "".
			answer := func(body string, code int, msg string) {
				if body == "" {
					w.WriteHeader(code)
					body = `{"kind":"Status","message":"` + msg + `"}`
				}
				_, _ = io.WriteString(w, body)
			}
			switch {
			case strings.Contains(r.URL.Path, "/analysisruns/"):
				answer(f.analysis, http.StatusForbidden, "forbidden")
				return
			case f.missing && strings.Contains(r.URL.Path, "/rollouts/"):
				answer("", http.StatusNotFound, "not found")
				return
			case strings.HasSuffix(r.URL.Path, "/analysisruns"):
				f.queries = append(f.queries, r.URL.RawQuery)
				answer(f.runs, http.StatusForbidden, "analysisruns.argoproj.io is forbidden")
				return
			}
		}
		if r.Method == "PATCH" {
			c := captured{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: b}
			f.patches = append(f.patches, c)
			if f.patch != nil {
				f.patch(w, c)
				return
			}
		}
		_, _ = io.WriteString(w, f.obj)
	}))
	t.Cleanup(f.Close)
	dir := t.TempDir()
	f.caFile, f.tokFile = filepath.Join(dir, "ca.crt"), filepath.Join(dir, "token")
	_ = os.WriteFile(f.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Certificate().Raw}), 0o600)
	_ = os.WriteFile(f.tokFile, []byte("tok\n"), 0o600)
	return f
}

func (f *fakeKube) sent() []captured {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]captured(nil), f.patches...)
}

func (f *fakeKube) executor(t *testing.T) *Executor {
	t.Helper()
	e, err := New(Options{Audit: audit.New(filepath.Join(t.TempDir(), "audit.jsonl")), Actions: config.Actions{
		Rollout: config.Action{Kind: kindArgoRollouts, Params: &ArgoRolloutsParams{
			Kubernetes: KubernetesParams{Server: f.URL, TokenFile: f.tokFile, CAFile: f.caFile}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var operator = Actor{User: "ana", Role: config.RoleOperator}

// A viewer sees the plan but is refused, and nothing is patched.
func TestRolloutVerbsOperatorsOnly(t *testing.T) {
	f := newFakeKube(t)
	e := f.executor(t)
	for _, action := range RolloutVerbs {
		req := Request{Action: action, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: Actor{User: "vic", Role: config.RoleViewer}}
		p, err := e.Plan(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if !strings.Contains(p.Refusal, "needs the operator role; vic has viewer") {
			t.Errorf("%s: plan refusal %q", action, p.Refusal)
		}
		req.ID = p.ID
		if r := e.Execute(context.Background(), req); r.Outcome != Refused {
			t.Errorf("%s: viewer outcome %s (%s)", action, r.Outcome, r.Message)
		}
	}
	if n := len(f.sent()); n != 0 {
		t.Errorf("%d patches sent for a viewer", n)
	}
	var keys []string
	for _, s := range e.Specs() {
		keys = append(keys, s.Key)
	}
	// M silences; the unsilence has no key.
	if got := strings.Join(keys, " "); got != "A P F Z Z Y M " {
		t.Errorf("dashboard keys %q, want A P F Z Z Y M", got)
	}
}

// promote --full always asks for the model's name; without it nothing is
// sent. With it, the status patch goes first, then the spec's (a person
// paused it), each against the version read.
func TestRolloutPromoteFullTypedAndOrdered(t *testing.T) {
	f := newFakeKube(t)
	e := f.executor(t)
	p, err := e.Plan(context.Background(), Request{Action: RolloutPromoteFull, Model: "fraud", Actor: operator})
	if err != nil || !p.TypedName || p.Refusal != "" || p.Seen != "7" {
		t.Fatalf("plan %+v, err %v: want a typed name, no refusal, seen 7", p, err)
	}
	if r := e.Execute(context.Background(), Request{ID: p.ID, Action: RolloutPromoteFull, Model: "fraud", Reason: "r", Actor: operator}); r.Outcome != Refused ||
		!strings.Contains(r.Message, `type the model name "fraud"`) {
		t.Errorf("without the name: %s %q", r.Outcome, r.Message)
	}
	p, _ = e.Plan(context.Background(), Request{Action: RolloutPromoteFull, Model: "fraud", Actor: operator})
	r := e.Execute(context.Background(), Request{ID: p.ID, Action: RolloutPromoteFull, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: operator})
	if r.Outcome != Succeeded {
		t.Fatalf("outcome %s: %s", r.Outcome, r.Message)
	}
	sent := f.sent()
	if len(sent) != 2 || !strings.HasSuffix(sent[0].Path, "/rollouts/fraud/status") || strings.HasSuffix(sent[1].Path, "/status") {
		t.Fatalf("patches %v: want status then spec", sent)
	}
	for i, want := range []string{`{"metadata":{"resourceVersion":"7"},"status":{"promoteFull":true}}`, `{"metadata":{"resourceVersion":"7"},"spec":{"paused":false}}`} {
		if got := string(sent[i].Body); got != want {
			t.Errorf("patch %d = %s, want %s", i, got, want)
		}
		if ct := sent[i].Header.Get("Content-Type"); ct != "application/merge-patch+json" {
			t.Errorf("patch %d content type %q", i, ct)
		}
	}
}

// A patch refused after another landed says which one landed, and the
// API's 403 is said in words.
func TestRolloutSecondPatchRefused(t *testing.T) {
	f := newFakeKube(t)
	f.patch = func(w http.ResponseWriter, c captured) {
		if strings.HasSuffix(c.Path, "/status") {
			_, _ = io.WriteString(w, strings.Replace(fakeRollout, `"resourceVersion":"7"`, `"resourceVersion":"8"`, 1))
			return
		}
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "message": `rollouts.argoproj.io "fraud" is forbidden`})
	}
	e := f.executor(t)
	p, _ := e.Plan(context.Background(), Request{Action: RolloutPromote, Model: "fraud", Actor: operator})
	r := e.Execute(context.Background(), Request{ID: p.ID, Action: RolloutPromote, Model: "fraud", Reason: "r", Actor: operator})
	want := "the status patch landed, the spec patch did not: the token may not patch rollouts in default (RBAC)"
	if r.Outcome != Failed || r.Status != 403 || !strings.Contains(r.Message, want) {
		t.Errorf("outcome %s %d %q, want failed 403 with %q", r.Outcome, r.Status, r.Message, want)
	}
	if sent := f.sent(); len(sent) != 2 || !strings.Contains(string(sent[1].Body), `"resourceVersion":"8"`) {
		t.Errorf("the spec patch did not expect the version the status patch returned: %v", sent)
	}
}

// The config's checks: the shared url/token_file keys are refused, the
// server must be https, the namespace and name valid.
func TestRolloutConfigChecks(t *testing.T) {
	for _, c := range []struct {
		a    config.Action
		want string
	}{
		{config.Action{Kind: kindArgoRollouts, URL: "https://k"}, "url: kind argo-rollouts does not use url"},
		{config.Action{Kind: kindArgoRollouts, Params: &ArgoRolloutsParams{Kubernetes: KubernetesParams{Server: "http://k:6443"}}}, "kubernetes.server: want https://host[:port]"},
		{config.Action{Kind: kindArgoRollouts, Params: &ArgoRolloutsParams{Namespace: "Bad_NS"}}, `namespace: "Bad_NS" is not a Kubernetes namespace name`},
		{config.Action{Kind: kindArgoRollouts, Params: &ArgoRolloutsParams{Name: "{{.Model"}}, "name: name template"},
	} {
		if err := config.FinishAction(&c.a, config.UseRollout); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	a := config.Action{Kind: kindArgoRollouts}
	if err := config.FinishAction(&a, config.UseRollout); err != nil {
		t.Fatal(err)
	}
	if p := a.Params.(*ArgoRolloutsParams); p.Namespace != "default" || p.Name != "{{.Model}}" {
		t.Errorf("defaults %+v", p)
	}
	if err := config.FinishAction(&config.Action{Kind: kindArgoRollouts}, config.UseRollback); err == nil {
		t.Error("argo-rollouts accepted as a rollback kind")
	}
}

// Without a server, mltop must run in a pod; a model name that is no
// Kubernetes name is refused before any request.
func TestRolloutInClusterAndNames(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	e, err := New(Options{Audit: audit.New(filepath.Join(t.TempDir(), "a")), Actions: config.Actions{
		Rollout: config.Action{Kind: kindArgoRollouts}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Plan(context.Background(), Request{Action: RolloutAbort, Model: "fraud", Actor: operator})
	if err == nil || !strings.Contains(err.Error(), "mltop does not run in a pod (KUBERNETES_SERVICE_HOST/PORT unset)") {
		t.Errorf("plan error %v", err)
	}
	t.Setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1")
	t.Setenv("KUBERNETES_SERVICE_PORT", "1")
	_, err = e.Plan(context.Background(), Request{Action: RolloutAbort, Model: "fraud", Actor: operator})
	if err == nil || !strings.Contains(err.Error(), "/var/run/secrets/kubernetes.io/serviceaccount/") {
		t.Errorf("in-cluster plan error %v: want the service account's files named", err)
	}
	_, err = e.Plan(context.Background(), Request{Action: RolloutAbort, Model: "Fraud/../x", Actor: operator})
	if err == nil || !strings.Contains(err.Error(), "is not a Kubernetes object name") {
		t.Errorf("bad name: %v", err)
	}
}

// The model's serving.rollout tag names its Rollout, with or without a
// namespace; without the tag the name template does. A tag that is no
// Kubernetes name is an error, and nothing is read.
func TestRolloutNameFromModelTag(t *testing.T) {
	for _, c := range []struct {
		tags map[string]string
		want string // the path read; "" for an error
	}{
		{nil, "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/fraud"},
		{map[string]string{"serving.rollout": "fraud-canary"}, "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/fraud-canary"},
		{map[string]string{"serving.rollout": "risk/fraud-canary"}, "/apis/argoproj.io/v1alpha1/namespaces/risk/rollouts/fraud-canary"},
		{map[string]string{"serving.rollout": "Risk/../x"}, ""},
	} {
		f := newFakeKube(t)
		e := f.executor(t)
		_, err := e.Plan(context.Background(), Request{Action: RolloutPause, Model: "fraud", Actor: operator,
			Snapshot: &fleet.Model{Name: "fraud", Tags: c.tags}})
		f.mu.Lock()
		gets := append([]string(nil), f.gets...)
		f.mu.Unlock()
		switch {
		case c.want == "" && (err == nil || !strings.Contains(err.Error(), "serving.rollout tag") || len(gets) != 0):
			t.Errorf("tags %v: err %v, read %v; want an error naming the tag and nothing read", c.tags, err, gets)
		case c.want != "" && (err != nil || len(gets) != 1 || gets[0] != c.want):
			t.Errorf("tags %v: err %v, read %v; want %s", c.tags, err, gets, c.want)
		}
	}
}
