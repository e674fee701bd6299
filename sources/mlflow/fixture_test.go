package mlflow

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
)

// example is one entry of fixtures/mlflow/examples.json.
type example struct {
	Request  string          `json:"request"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
}

// loadExamples reads the shared MLflow fixture, skipping when it is absent
// (failing instead under CI).
func loadExamples(t *testing.T) map[string]example {
	t.Helper()
	b, err := os.ReadFile(testenv.Fixture(t, "mlflow", "examples.json"))
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]example{}
	for k, v := range raw {
		if strings.HasPrefix(k, "_") {
			continue
		}
		var e example
		if err := json.Unmarshal(v, &e); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = e
	}
	return out
}

// target splits "GET /path?query  extra" into method, path and query.
func (e example) target(t *testing.T) (string, string, url.Values) {
	t.Helper()
	f := strings.Fields(e.Request)
	if len(f) < 2 {
		t.Fatalf("bad request line %q", e.Request)
	}
	u, err := url.Parse(f[1])
	if err != nil {
		t.Fatal(err)
	}
	return f[0], u.Path, u.Query()
}

// exampleServer answers each example's method and path with its response and
// checks the client sent the example's query parameters.
func exampleServer(t *testing.T, exs map[string]example, names ...string) *Client {
	t.Helper()
	mux := http.NewServeMux()
	for _, name := range names {
		ex := exs[name]
		method, path, want := ex.target(t)
		mux.HandleFunc(method+" "+path, func(w http.ResponseWriter, r *http.Request) {
			got := r.URL.Query()
			for k := range want {
				if k == "order_by" || k == "filter" || k == "max_results" {
					continue // search parameters the example chose, not the client
				}
				if got.Get(k) != want.Get(k) {
					t.Errorf("%s: query %s = %q, want %q", name, k, got.Get(k), want.Get(k))
				}
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(ex.Status)
			_, _ = w.Write(ex.Response)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFixtureShapesDecode(t *testing.T) {
	exs := loadExamples(t)
	c := exampleServer(t, exs, "search_registered_models", "search_model_versions", "get_model_version_by_alias", "get_run", "get_metric_history")
	ctx := context.Background()

	page, err := c.SearchRegisteredModels(ctx, "name LIKE 'fraud%'", 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.RegisteredModels) != 2 || page.NextPageToken != "eyJvZmZzZXQiOiAyfQ==" {
		t.Fatalf("page = %+v", page)
	}
	m := page.RegisteredModels[0]
	wantAliases := []RegisteredModelAlias{{"champion", "12"}, {"challenger", "14"}}
	if !reflect.DeepEqual(m.Aliases, wantAliases) || m.LastUpdatedTimestamp != 1731672005881 || len(m.LatestVersions) != 1 {
		t.Errorf("model = %+v", m)
	}
	if lite := page.RegisteredModels[1]; lite.Description != "" || lite.Tags != nil || lite.Aliases != nil {
		t.Errorf("omitted fields not zero: %+v", lite)
	}

	vp, err := c.SearchModelVersions(ctx, "name='fraud-detector'", 50, "")
	if err != nil {
		t.Fatal(err)
	}
	v14 := vp.ModelVersions[0]
	if v14.ModelID != "m-4c7d1e2a9b8f4f0e9d3b2a1c0f9e8d7c" || !reflect.DeepEqual(v14.Aliases, []string{"challenger"}) || v14.UserID != "ci-bot@example.com" {
		t.Errorf("v14 = %+v", v14)
	}
	if v12 := vp.ModelVersions[1]; v12.ModelID != "" || v12.DeploymentJobState != nil || v12.UserID != "" {
		t.Errorf("v12 MLflow 3 fields should be absent: %+v", v12)
	}

	mv, err := c.GetModelVersionByAlias(ctx, "fraud-detector", "champion")
	if err != nil || mv.Version != "12" || mv.CurrentStage != "Production" {
		t.Errorf("by alias = %+v, %v", mv, err)
	}

	run, err := c.GetRun(ctx, "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e")
	if err != nil {
		t.Fatal(err)
	}
	if run.Info.RunName != "xgb-2024-10-retrain" || len(run.Data.Metrics) != 2 || run.Data.Metrics[0].Step != 49 ||
		run.Info.StartTime.Time() != time.UnixMilli(1728990000000).UTC() || run.Inputs.DatasetInputs != nil {
		t.Errorf("run = %+v", run)
	}

	hist, err := c.GetMetricHistory(ctx, "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e", "val_auc")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[2].Value != 0.9412 || hist[1].Step != 25 {
		t.Errorf("history = %+v", hist)
	}
}

func TestFixtureErrors(t *testing.T) {
	exs := loadExamples(t)
	c := exampleServer(t, exs, "error_not_found", "error_bad_filter")
	ctx := context.Background()

	_, err := c.GetRegisteredModel(ctx, "fraud-detectr")
	want := `get registered model "fraud-detectr": mlflow: model "fraud-detectr" not found (RESOURCE_DOES_NOT_EXIST)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 404 || apiErr.Code != CodeResourceDoesNotExist ||
		apiErr.Message != "Registered Model with name=fraud-detectr not found" || !IsNotFound(err) {
		t.Errorf("api error = %#v", apiErr)
	}

	_, err = c.SearchModelVersions(ctx, "stage='Production'", 0, "")
	if err == nil || !strings.Contains(err.Error(), "(INVALID_PARAMETER_VALUE, HTTP 400)") ||
		!strings.HasPrefix(err.Error(), "search model versions: mlflow: Invalid attribute key 'stage'") || IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
}

func TestFixtureSetAliasBody(t *testing.T) {
	exs := loadExamples(t)
	ex := exs["set_registered_model_alias_rollback"]
	_, wantBody, ok := strings.Cut(ex.Request, "body: ")
	if !ok {
		t.Fatalf("no body in %q", ex.Request)
	}
	var want map[string]string
	if err := json.Unmarshal([]byte(wantBody), &want); err != nil {
		t.Fatal(err)
	}
	method, path, _ := ex.target(t)
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method || r.URL.Path != path || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Error(err)
		}
		_, _ = w.Write(ex.Response)
	}))
	defer srv.Close()
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetAlias(context.Background(), want["name"], want["alias"], want["version"]); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v, want %v", got, want)
	}
}

// TestFixtureRegistry reads the fixture's registry end to end: the search
// page's token leads to an empty page, fraud-detector's v14 names a run the
// server does not have, and fraud-detector-lite has no versions.
func TestFixtureRegistry(t *testing.T) {
	exs := loadExamples(t)
	search := exs["search_registered_models"]
	versions := exs["search_model_versions"]
	run := exs["get_run"]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case pathModelsSearch:
			if q.Get("page_token") == "" {
				_, _ = w.Write(search.Response)
				return
			}
			_, _ = w.Write([]byte(`{}`))
		case pathVersionsSearch:
			if q.Get("filter") == "name='fraud-detector'" {
				_, _ = w.Write(versions.Response)
				return
			}
			_, _ = w.Write([]byte(`{}`))
		case pathRunsGet:
			if q.Get("run_id") == "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e" {
				_, _ = w.Write(run.Response)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run not found"}`))
		default:
			t.Errorf("unexpected %s", r.URL)
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	src := NewSource(c, SourceOptions{})
	reg, err := src.Registry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := src.LastPartial(); err != nil {
		t.Errorf("a deleted run is not a failure: %v", err)
	}
	want := fleet.Registry{Models: []fleet.RegisteredModel{
		{
			Name:        "fraud-detector",
			Description: "XGBoost card-fraud classifier",
			Tags:        map[string]string{"team": "risk-ml", "serving.prom_model_label": "fraud_detector"},
			Aliases:     map[string]string{"champion": "12", "challenger": "14"},
			LastUpdated: time.UnixMilli(1731672005881).UTC(),
			Versions: []fleet.RegisteredVersion{
				{
					Version: "14",
					Aliases: []string{"challenger"},
					Tags:    map[string]string{"validation_status": "passed", "training_window": "2024-10-01/2024-11-01"},
					Lineage: fleet.Lineage{
						RunID:     "3f9a1b2c4d5e6f708192a3b4c5d6e7f8",
						Source:    "models:/m-4c7d1e2a9b8f4f0e9d3b2a1c0f9e8d7c",
						CreatedAt: time.UnixMilli(1731600000000).UTC(),
						CreatedBy: "ci-bot@example.com",
						Stage:     "None",
						Status:    "READY",
					},
				},
				{
					Version: "12",
					Aliases: []string{"champion"},
					Tags:    map[string]string{"validation_status": "passed"},
					Lineage: fleet.Lineage{
						RunID:     "9e8d7c6b5a4f30211f0e9d8c7b6a5f4e",
						RunName:   "xgb-2024-10-retrain",
						Source:    "s3://mlflow-artifacts/7/9e8d7c6b/artifacts/model",
						GitCommit: "a1b2c3d",
						CreatedAt: time.UnixMilli(1729000000000).UTC(),
						CreatedBy: "ci-bot@example.com", // the run's user: the version has none
						Stage:     "Production",
						Status:    "READY",
					},
					Baseline: map[string]float64{"val_auc": 0.9412, "val_logloss": 0.1873},
				},
			},
		},
		{
			Name:        "fraud-detector-lite",
			Tags:        map[string]string{},
			Aliases:     map[string]string{},
			LastUpdated: time.UnixMilli(1729000000000).UTC(),
			Versions:    []fleet.RegisteredVersion{},
		},
	}}
	if !reflect.DeepEqual(reg, want) {
		gotJSON, _ := json.MarshalIndent(reg, "", " ")
		t.Errorf("registry:\n%s", gotJSON)
	}
}
