package mlflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// scripted answers requests from a list of canned responses, in order.
type scripted struct {
	mu        sync.Mutex
	responses []cannedResponse
	got       []*http.Request
	bodies    []string
}

type cannedResponse struct {
	status int
	header map[string]string
	body   string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	s.got = append(s.got, r.Clone(context.Background()))
	s.bodies = append(s.bodies, string(b))
	if len(s.responses) == 0 {
		w.WriteHeader(http.StatusTeapot)
		return
	}
	resp := s.responses[0]
	s.responses = s.responses[1:]
	for k, v := range resp.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.status)
	_, _ = io.WriteString(w, resp.body)
}

func (s *scripted) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// newScripted starts a server and a client whose retry waits are recorded, not slept.
func newScripted(t *testing.T, env map[string]string, responses ...cannedResponse) (*Client, *scripted, *[]time.Duration) {
	t.Helper()
	s := &scripted{responses: responses}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: mapEnv(env)})
	if err != nil {
		t.Fatal(err)
	}
	waits := &[]time.Duration{}
	c.wait = func(ctx context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return ctx.Err()
	}
	return c, s, waits
}

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const runJSON = `{"run":{"info":{"run_id":"9e8d7c6b5a4f30211f0e9d8c7b6a5f4e","status":"FINISHED"}}}`

func TestErrorMessages(t *testing.T) {
	cases := []struct {
		name   string
		resp   cannedResponse
		want   string
		status int
	}{
		{"not found", cannedResponse{404, nil, `{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run '9e8d' not found"}`},
			`get run 9e8d7c6b…: mlflow: run "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e" not found (RESOURCE_DOES_NOT_EXIST)`, 404},
		{"unauthenticated", cannedResponse{401, nil, `{"error_code":"UNAUTHENTICATED","message":"You are not authenticated."}`},
			"get run 9e8d7c6b…: mlflow: authentication failed (401): check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD", 401},
		{"forbidden", cannedResponse{403, nil, `{"error_code":"PERMISSION_DENIED","message":"Permission denied"}`},
			"get run 9e8d7c6b…: mlflow: permission denied (403): Permission denied", 403},
		{"proxy html", cannedResponse{502, map[string]string{"Content-Type": "text/html"}, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>"},
			"get run 9e8d7c6b…: mlflow: HTTP 502 Bad Gateway: 502 Bad Gateway", 502},
		{"proxy text", cannedResponse{502, nil, "\n  upstream connect error or disconnect/reset before headers  \nreset reason: overflow"},
			"get run 9e8d7c6b…: mlflow: HTTP 502 Bad Gateway: upstream connect error or disconnect/reset before headers", 502},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s, waits := newScripted(t, nil, tc.resp)
			_, err := c.GetRun(context.Background(), "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e")
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v\nwant  %s", err, tc.want)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatus != tc.status {
				t.Errorf("not an APIError with status %d: %#v", tc.status, err)
			}
			if s.requests() != 1 || len(*waits) != 0 {
				t.Errorf("%d requests, waits %v: errors other than 429/503 are not retried", s.requests(), *waits)
			}
		})
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	busy := cannedResponse{429, map[string]string{"Retry-After": "2"}, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}`}
	c, s, waits := newScripted(t, nil, busy, cannedResponse{200, nil, runJSON})
	run, err := c.GetRun(context.Background(), "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e")
	if err != nil {
		t.Fatal(err)
	}
	if run.Info.Status != "FINISHED" || s.requests() != 2 {
		t.Errorf("run %+v after %d requests", run.Info, s.requests())
	}
	if len(*waits) != 1 || (*waits)[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s]", *waits)
	}
}

func TestRetryAfterDateAndCap(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	date := now.Add(4 * time.Second).Format(http.TimeFormat)
	c, _, waits := newScripted(t, nil,
		cannedResponse{503, map[string]string{"Retry-After": date}, "busy"},
		cannedResponse{503, map[string]string{"Retry-After": "3600"}, "busy"},
		cannedResponse{503, nil, "busy"},
		cannedResponse{200, nil, runJSON})
	c.now = func() time.Time { return now }
	if _, err := c.GetRun(context.Background(), "r"); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 3 || (*waits)[0] != 4*time.Second || (*waits)[1] != maxRetryWait {
		t.Fatalf("waits = %v, want [4s 10s backoff]", *waits)
	}
	// Third attempt without Retry-After: backoff 2s with jitter in [1s, 2s].
	if w := (*waits)[2]; w < time.Second || w > 2*time.Second {
		t.Errorf("backoff wait %v outside [1s, 2s]", w)
	}
}

func TestRetryGivesUpAfterThree(t *testing.T) {
	busy := cannedResponse{503, nil, `{"error_code":"TEMPORARILY_UNAVAILABLE","message":"try later"}`}
	c, s, waits := newScripted(t, nil, busy, busy, busy, busy, cannedResponse{200, nil, runJSON})
	_, err := c.GetRun(context.Background(), "r")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 503 {
		t.Fatalf("err = %v", err)
	}
	if s.requests() != 1+maxRetries || len(*waits) != maxRetries {
		t.Errorf("%d requests, %d waits", s.requests(), len(*waits))
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	busy := cannedResponse{429, map[string]string{"Retry-After": "1"}, "{}"}
	c, s, waits := newScripted(t, nil, busy, busy)
	if err := c.SetAlias(context.Background(), "m", "champion", "3"); err == nil {
		t.Error("SetAlias: no error")
	}
	if err := c.DeleteAlias(context.Background(), "m", "champion"); err == nil {
		t.Error("DeleteAlias: no error")
	}
	if s.requests() != 2 || len(*waits) != 0 {
		t.Errorf("%d requests, waits %v", s.requests(), *waits)
	}
	if s.got[1].Method != http.MethodDelete || s.got[1].URL.RawQuery != "" {
		t.Errorf("delete sent as %s ?%s", s.got[1].Method, s.got[1].URL.RawQuery)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(s.bodies[1]), &body); err != nil || body["name"] != "m" || body["alias"] != "champion" || len(body) != 2 {
		t.Errorf("delete body %q", s.bodies[1])
	}
}

func TestRetryWaitHonoursContext(t *testing.T) {
	busy := cannedResponse{429, map[string]string{"Retry-After": "5"}, "{}"}
	c, s, _ := newScripted(t, nil, busy, cannedResponse{200, nil, runJSON})
	c.wait = sleepCtx // the real wait: cancellation must cut it short
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetRun(ctx, "r")
	if !errors.Is(err, context.Canceled) || s.requests() > 1 {
		t.Errorf("err = %v after %d requests", err, s.requests())
	}
}

func TestAuthHeader(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"none", nil, ""},
		{"token", map[string]string{EnvToken: "tok"}, "Bearer tok"},
		{"basic", map[string]string{EnvUsername: "ana", EnvPassword: "pw"}, "Basic YW5hOnB3"},
		// rest_utils checks username and password first.
		{"basic wins over token", map[string]string{EnvUsername: "ana", EnvPassword: "pw", EnvToken: "tok"}, "Basic YW5hOnB3"},
		{"username alone is not basic", map[string]string{EnvUsername: "ana", EnvToken: "tok"}, "Bearer tok"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s, _ := newScripted(t, tc.env, cannedResponse{200, nil, runJSON})
			if _, err := c.GetRun(context.Background(), "r"); err != nil {
				t.Fatal(err)
			}
			if got := s.got[0].Header.Get("Authorization"); got != tc.want {
				t.Errorf("Authorization = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSecretsStayOutOfLogs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(&scripted{responses: []cannedResponse{{401, nil, "{}"}}})
	defer srv.Close()
	env := map[string]string{EnvToken: "s3cret-token", EnvTrackingURI: strings.Replace(srv.URL, "http://", "http://bob:s3cret-pw@", 1)}
	c, err := NewClient(Options{Getenv: mapEnv(env), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetRun(context.Background(), "r")
	if err == nil {
		t.Fatal("no error")
	}
	out := buf.String() + err.Error() + c.TrackingURI()
	if buf.Len() == 0 {
		t.Fatal("nothing logged at debug")
	}
	for _, secret := range []string{"s3cret-token", "s3cret-pw"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q leaked:\n%s", secret, out)
		}
	}
}

func TestTrackingURIPrefixKept(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		_, _ = io.WriteString(w, runJSON)
	}))
	defer srv.Close()
	c, err := NewClient(Options{TrackingURI: srv.URL + "/mlflow/", Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRun(context.Background(), "r"); err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0] != "/mlflow/api/2.0/mlflow/runs/get" {
		t.Errorf("paths = %v", paths)
	}
}

func TestTrackingURIRequired(t *testing.T) {
	for _, uri := range []string{"", "file:./mlruns", "databricks", "sqlite:///mlflow.db", "http://"} {
		if _, err := NewClient(Options{TrackingURI: uri, Getenv: noEnv}); err == nil {
			t.Errorf("%q accepted", uri)
		}
	}
	c, err := NewClient(Options{Getenv: mapEnv(map[string]string{EnvTrackingURI: "https://mlflow.example.com/"})})
	if err != nil || c.TrackingURI() != "https://mlflow.example.com" {
		t.Errorf("from env: %v %v", c, err)
	}
}

func TestSlowServerHonoursDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release) // runs before srv.Close, which waits for the handler
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.GetRun(ctx, "r")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not answer in time") {
		t.Errorf("err = %v", err)
	}

	// The per-request timeout bounds a call whose ctx has no deadline.
	c2, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.GetRun(context.Background(), "r"); !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "did not answer within 50ms") {
		t.Errorf("err = %v", err)
	}

	// A caller's WithRequestTimeout replaces it: the 50ms no longer applies.
	ctx, cancel = context.WithTimeout(WithRequestTimeout(context.Background(), 120*time.Millisecond), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c2.GetRun(ctx, "r")
	if took := time.Since(start); err == nil || !strings.Contains(err.Error(), "did not answer within 120ms") || took < 100*time.Millisecond {
		t.Errorf("after %s: err = %v", took, err)
	}
}

func TestNotJSONSuccess(t *testing.T) {
	c, _, _ := newScripted(t, nil, cannedResponse{200, map[string]string{"Content-Type": "text/html"}, "<html><title>Sign in</title></html>"})
	_, err := c.GetRun(context.Background(), "r")
	if err == nil || !strings.Contains(err.Error(), `the server answered with an HTML page ("Sign in"), not MLflow's JSON`) {
		t.Errorf("err = %v", err)
	}
}

func TestNameFilter(t *testing.T) {
	cases := map[string]string{
		"fraud-detector": "name='fraud-detector'",
		"bob's model":    `name="bob's model"`,
		`say "hi"`:       `name='say "hi"'`,
	}
	for name, want := range cases {
		if got, err := NameFilter(name); err != nil || got != want {
			t.Errorf("NameFilter(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := NameFilter(`it's "both"`); err == nil {
		t.Error("a name with both quotes was accepted")
	}
}

func TestMLflow3FieldsTolerated(t *testing.T) {
	var m RegisteredModel
	if err := json.Unmarshal([]byte(`{"name":"a","deployment_job_id":"j1","deployment_job_state":"CONNECTED"}`), &m); err != nil || m.DeploymentJobState != "CONNECTED" {
		t.Errorf("enum form: %+v, %v", m, err)
	}
	if err := json.Unmarshal([]byte(`{"name":"a","deployment_job_state":{"state": "X"}}`), &m); err != nil || m.DeploymentJobState != `{"state":"X"}` {
		t.Errorf("object form: %+v, %v", m, err)
	}
	var v ModelVersion
	in := `{"version":"3","model_id":"m-1","model_params":[{"name":"depth","value":"8"}],` +
		`"model_metrics":[{"key":"auc","value":0.9,"step":"2","dataset_name":"eval"}],` +
		`"deployment_job_state":{"job_id":"j","run_id":"r","job_state":"DEPLOYMENT_JOB_CONNECTION_STATE_CONNECTED","run_state":"SUCCEEDED","current_task_name":"approve"}}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	want := DeploymentJobState{JobID: "j", RunID: "r", JobState: "DEPLOYMENT_JOB_CONNECTION_STATE_CONNECTED", RunState: "SUCCEEDED", CurrentTaskName: "approve"}
	if v.ModelID != "m-1" || v.ModelParams[0].Value != "8" || v.ModelMetrics[0].Step != 2 || v.ModelMetrics[0].DatasetName != "eval" ||
		v.DeploymentJobState == nil || *v.DeploymentJobState != want {
		t.Errorf("version = %+v", v)
	}
	if err := json.Unmarshal([]byte(`{"deployment_job_state":"RUNNING"}`), &v); err != nil || v.DeploymentJobState.JobState != "RUNNING" {
		t.Errorf("string form: %+v, %v", v.DeploymentJobState, err)
	}
}

func TestLenientNumbers(t *testing.T) {
	var m Metric
	if err := json.Unmarshal([]byte(`{"key":"a","value":"NaN","timestamp":"1728993500000","step":"49"}`), &m); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(m.Value)) || m.Timestamp != 1728993500000 || m.Step != 49 {
		t.Errorf("metric = %+v", m)
	}
	for in, want := range map[string]float64{`"Infinity"`: math.Inf(1), `"-Infinity"`: math.Inf(-1), `0.5`: 0.5, `"0.25"`: 0.25} {
		var f Float
		if err := json.Unmarshal([]byte(in), &f); err != nil || float64(f) != want {
			t.Errorf("%s -> %v, %v", in, f, err)
		}
	}
	var n Int64
	if err := json.Unmarshal([]byte(`"x"`), &n); err == nil {
		t.Error(`"x" accepted as an integer`)
	}
	if b, err := json.Marshal(Float(math.NaN())); err != nil || string(b) != `"NaN"` {
		t.Errorf("marshal NaN = %s, %v", b, err)
	}
}
