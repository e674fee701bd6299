package mlflow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRegistry is a small MLflow server: registered-model and model-version
// search with offset page tokens, and runs/get. It counts requests per path.
type fakeRegistry struct {
	mu       sync.Mutex
	pageSize int // most results per page, whatever max_results asks
	models   []RegisteredModel
	versions map[string][]ModelVersion // by model name
	runs     map[string]Run
	// failVersions answers a version search for these models with this status.
	failVersions map[string]int
	failRuns     map[string]int
	counts       map[string]int
	// onRun, when set, runs before a runs/get is answered (outside the lock).
	onRun func(r *http.Request)
}

func newFakeRegistry(pageSize int) *fakeRegistry {
	return &fakeRegistry{
		pageSize:     pageSize,
		versions:     map[string][]ModelVersion{},
		runs:         map[string]Run{},
		failVersions: map[string]int{},
		failRuns:     map[string]int{},
		counts:       map[string]int{},
	}
}

func (f *fakeRegistry) serve(t testing.TB) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	c.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // retries without sleeping
	return c
}

func noEnv(string) string { return "" }

func (f *fakeRegistry) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[path]
}

func (f *fakeRegistry) resetCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.counts
	f.counts = map[string]int{}
	return old
}

const (
	pathModelsSearch   = "/api/2.0/mlflow/registered-models/search"
	pathVersionsSearch = "/api/2.0/mlflow/model-versions/search"
	pathRunsGet        = "/api/2.0/mlflow/runs/get"
)

func (f *fakeRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == pathRunsGet && f.onRun != nil {
		f.onRun(r)
		if r.Context().Err() != nil {
			return // the client is gone; nothing was served
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[r.URL.Path]++
	q := r.URL.Query()
	switch r.URL.Path {
	case pathModelsSearch:
		page, next := paged(f.models, q, f.pageSize)
		writeJSON(w, http.StatusOK, RegisteredModelsPage{RegisteredModels: page, NextPageToken: next})
	case pathVersionsSearch:
		name, ok := strings.CutPrefix(q.Get("filter"), "name='")
		name, ok2 := strings.CutSuffix(name, "'")
		if !ok || !ok2 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error_code": CodeInvalidParameter, "message": "bad filter " + q.Get("filter")})
			return
		}
		if st := f.failVersions[name]; st != 0 {
			writeJSON(w, st, map[string]string{"error_code": "INTERNAL_ERROR", "message": "versions of " + name + " unavailable"})
			return
		}
		page, next := paged(f.versions[name], q, f.pageSize)
		writeJSON(w, http.StatusOK, ModelVersionsPage{ModelVersions: page, NextPageToken: next})
	case pathRunsGet:
		id := q.Get("run_id")
		if st := f.failRuns[id]; st != 0 {
			writeJSON(w, st, map[string]string{"error_code": "INTERNAL_ERROR", "message": "run store down"})
			return
		}
		run, ok := f.runs[id]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error_code": CodeResourceDoesNotExist, "message": "Run '" + id + "' not found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]Run{"run": run})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error_code": CodeEndpointNotFound, "message": "no " + r.URL.Path})
	}
}

// paged cuts items by an offset page token, like MLflow's SQL store.
func paged[T any](items []T, q map[string][]string, limit int) ([]T, string) {
	off := 0
	if tok := first(q["page_token"]); tok != "" {
		off, _ = strconv.Atoi(tok)
	}
	n := limit
	if mr, err := strconv.Atoi(first(q["max_results"])); err == nil && mr > 0 && mr < n {
		n = mr
	}
	off = min(off, len(items))
	end := min(off+n, len(items))
	next := ""
	if end < len(items) {
		next = strconv.Itoa(end)
	}
	return slices.Clone(items[off:end]), next
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// addModel registers a model with n versions, each made by its own finished run.
func (f *fakeRegistry) addModel(name string, updated int64, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.models = append(f.models, RegisteredModel{Name: name, LastUpdatedTimestamp: Millis(updated)})
	for v := 1; v <= n; v++ {
		id := fmt.Sprintf("run-%s-%d", name, v)
		f.versions[name] = append(f.versions[name], ModelVersion{
			Name: name, Version: strconv.Itoa(v), RunID: id, Status: "READY",
			CreationTimestamp: Millis(updated),
		})
		f.runs[id] = Run{
			Info: RunInfo{RunID: id, RunName: "train-" + strconv.Itoa(v), Status: "FINISHED"},
			Data: RunData{Metrics: []Metric{{Key: "auc", Value: Float(0.9), Step: 1}}},
		}
	}
}

// touch moves a model's last_updated_timestamp, as MLflow does on a new version.
func (f *fakeRegistry) touch(name string, updated int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.models {
		if f.models[i].Name == name {
			f.models[i].LastUpdatedTimestamp = Millis(updated)
		}
	}
}

// manualClock is a clock tests move by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
