package actions

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/sources/mlflow"
)

// captured is one request a receiver saw.
type captured struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

func (c captured) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(c.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, c.Body)
	}
	return m
}

// receiver is a loopback HTTP server that records every request and
// answers with reply (default 200 {}).
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []captured
	reply func(w http.ResponseWriter, r *http.Request, c captured)
}

func newReceiver(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, c captured)) *receiver {
	t.Helper()
	rc := &receiver{reply: reply}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := captured{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: b}
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, c)
		rc.mu.Unlock()
		if rc.reply != nil {
			rc.reply(w, r, c)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []captured {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]captured(nil), rc.reqs...)
}

// only returns the one request the receiver saw, failing otherwise.
func (rc *receiver) only(t *testing.T) captured {
	t.Helper()
	rs := rc.requests()
	if len(rs) != 1 {
		t.Fatalf("receiver saw %d requests, want exactly 1", len(rs))
	}
	return rs[0]
}

// registry is a loopback MLflow registry holding one model, spoken to by
// the real mlflow.Client. Its writes are recorded by rc; gets are not.
type registry struct {
	rc       *receiver
	client   *mlflow.Client
	mu       sync.Mutex
	model    mlflow.RegisteredModel
	versions []mlflow.ModelVersion
	onWrite  func(w http.ResponseWriter, c captured) bool // true: answered
	// others, when set, are the registry's other models: a get of a name
	// neither model nor others hold is then answered 404, and the model
	// search lists them all.
	others []string
}

func newRegistry(t *testing.T) *registry {
	t.Helper()
	reg := &registry{
		model: mlflow.RegisteredModel{
			Name: "payments-fraud",
			Tags: []mlflow.Tag{{Key: "risk_tier", Value: "high"}, {Key: "team", Value: "payments"}},
			Aliases: []mlflow.RegisteredModelAlias{
				{Alias: "champion", Version: "8"}, {Alias: "challenger", Version: "9"},
			},
		},
	}
	for _, v := range []struct{ n, stage, status string }{
		{"5", "Archived", "READY"}, {"6", "Archived", "READY"}, {"7", "Archived", "READY"},
		{"8", "Production", "READY"}, {"9", "None", "READY"},
	} {
		reg.versions = append(reg.versions, mlflow.ModelVersion{Name: "payments-fraud", Version: v.n, CurrentStage: v.stage, Status: v.status})
	}
	writes := 0
	reg.rc = newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch c.Method + " " + c.Path {
		case "GET /api/2.0/mlflow/registered-models/get":
			if name := r.URL.Query().Get("name"); reg.others != nil && name != reg.model.Name && !slices.Contains(reg.others, name) {
				w.WriteHeader(http.StatusNotFound)
				_, _ = io.WriteString(w, `{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Registered Model with name=`+name+` not found"}`)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"registered_model": reg.model})
		case "GET /api/2.0/mlflow/registered-models/search":
			ms := []mlflow.RegisteredModel{reg.model}
			for _, n := range reg.others {
				ms = append(ms, mlflow.RegisteredModel{Name: n})
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"registered_models": ms})
		case "GET /api/2.0/mlflow/model-versions/search":
			_ = json.NewEncoder(w).Encode(map[string]any{"model_versions": reg.versions})
		default:
			writes++
			if reg.onWrite != nil && reg.onWrite(w, c) {
				return
			}
			_, _ = io.WriteString(w, "{}")
		}
	})
	c, err := mlflow.NewClient(mlflow.Options{TrackingURI: reg.rc.URL, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	reg.client = c
	return reg
}

// writes returns the requests that were not reads.
func (reg *registry) writes() []captured {
	var out []captured
	for _, c := range reg.rc.requests() {
		if c.Method != http.MethodGet {
			out = append(out, c)
		}
	}
	return out
}

func (reg *registry) setVersionStatus(v, status string) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for i := range reg.versions {
		if reg.versions[i].Version == v {
			reg.versions[i].Status = status
		}
	}
}

type fixture struct {
	ex    *Executor
	log   *audit.Log
	actor Actor
}

func newFixture(t *testing.T, acts config.Actions, reg Registry, tweak ...func(*Options)) fixture {
	t.Helper()
	if acts.TypedName == nil {
		acts.TypedName = map[string][]string{"risk_tier": {"high"}}
	}
	log := audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	opts := Options{Actions: acts, Registry: reg, Audit: log, Host: "test-host"}
	for _, f := range tweak {
		f(&opts)
	}
	ex, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{ex: ex, log: log, actor: Actor{User: "ana", Role: config.RoleOperator}}
}

func (f fixture) records(t *testing.T) []audit.Record {
	t.Helper()
	rs, torn, err := f.log.Read()
	if err != nil || torn != 0 {
		t.Fatalf("read audit: torn %d, err %v", torn, err)
	}
	return rs
}

// states lists the states recorded for request id.
func (f fixture) states(t *testing.T, id string) []audit.State {
	t.Helper()
	var out []audit.State
	for _, r := range f.records(t) {
		if r.ID == id {
			out = append(out, r.State)
		}
	}
	return out
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// driftingModel is churn-predictor as a snapshot shows it: v3 serving,
// drifting on tenure, quality below its baseline.
func driftingModel() *fleet.Model {
	score, f1, base := 0.31, 0.72, 0.78
	return &fleet.Model{
		Name: "churn-predictor", Tags: map[string]string{"risk_tier": "medium"},
		Aliases: map[string]string{"champion": "3"},
		Versions: []fleet.Version{{
			Version: "3", Track: fleet.TrackStable, Serving: true,
			Drift:       &fleet.Drift{Score: &score, Method: "psi", Feature: "tenure"},
			Performance: map[string]float64{"f1": f1}, Baseline: map[string]float64{"f1": base},
		}},
		Health: fleet.Health{Status: fleet.StatusWarn, Findings: []fleet.Finding{
			{Version: "3", Check: fleet.CheckDrift, Status: fleet.StatusWarn, Message: "drift psi 0.31 on tenure"},
		}},
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s %q lacks %q", what, s, sub)
		}
	}
}
