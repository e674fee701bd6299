package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

const maxBody = 1 << 20

// params are a request's parameters: the JSON body's fields, else the
// query string (MLflow's clients send GET parameters in the query string
// and everything else as a JSON body).
type params struct {
	query url.Values
	body  map[string]json.RawMessage
}

func (p params) get(name string) string {
	if raw, ok := p.body[name]; ok {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return string(bytes.TrimSpace(raw)) // numbers and booleans, as their text
	}
	return p.query.Get(name)
}

func (p params) bool(name string) bool {
	b, _ := strconv.ParseBool(p.get(name))
	return b
}

func (p params) tags() ([]tag, error) {
	raw, ok := p.body["tags"]
	if !ok {
		return nil, nil
	}
	var in []wireTag
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, invalidParam("Invalid value for parameter 'tags': %v", err)
	}
	out := make([]tag, len(in))
	for i, t := range in {
		out[i] = tag{t.Key, t.Value}
	}
	return out, nil
}

type apiFunc func(p params) (any, error)

// api wraps a registry endpoint: parse parameters, run under the world's
// lock, answer JSON or an MLflow error.
func (f *Fleet) api(h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := params{query: r.URL.Query()}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeAPIError(w, &apiError{http.StatusBadRequest, "BAD_REQUEST", "could not read request body: " + err.Error()})
			return
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &p.body); err != nil {
				writeAPIError(w, &apiError{http.StatusBadRequest, "BAD_REQUEST", "Malformed request body: " + err.Error()})
				return
			}
		}
		f.mu.Lock()
		resp, err := h(p)
		f.mu.Unlock()
		if err != nil {
			writeAPIError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAPIError(w http.ResponseWriter, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = &apiError{http.StatusInternalServerError, "INTERNAL_ERROR", err.Error()}
	}
	writeJSON(w, e.status, map[string]string{"error_code": e.code, "message": e.message})
}

type (
	searchModelsResp struct {
		RegisteredModels []wireRegisteredModel `json:"registered_models,omitempty"`
		NextPageToken    string                `json:"next_page_token,omitempty"`
	}
	searchVersionsResp struct {
		ModelVersions []wireModelVersion `json:"model_versions,omitempty"`
		NextPageToken string             `json:"next_page_token,omitempty"`
	}
	modelResp struct {
		RegisteredModel wireRegisteredModel `json:"registered_model"`
	}
	versionResp struct {
		ModelVersion wireModelVersion `json:"model_version"`
	}
	runResp struct {
		Run wireRun `json:"run"`
	}
	historyResp struct {
		Metrics []wireMetric `json:"metrics,omitempty"`
	}
	empty struct{}
)

func (f *Fleet) registryHandler() http.Handler {
	const base = "/api/2.0/mlflow/"
	mux := http.NewServeMux()
	mux.Handle("GET "+base+"registered-models/search", f.api(func(p params) (any, error) {
		ms, next, err := f.w.reg.searchModels(p.query)
		return searchModelsResp{ms, next}, err
	}))
	mux.Handle("GET "+base+"registered-models/get", f.api(func(p params) (any, error) {
		m, err := f.w.reg.model(p.get("name"))
		if err != nil {
			return nil, err
		}
		return modelResp{m.wire()}, nil
	}))
	mux.Handle("POST "+base+"registered-models/alias", f.api(func(p params) (any, error) {
		return empty{}, f.w.setAlias(p.get("name"), p.get("alias"), p.get("version"))
	}))
	mux.Handle("DELETE "+base+"registered-models/alias", f.api(func(p params) (any, error) {
		return empty{}, f.w.deleteAlias(p.get("name"), p.get("alias"))
	}))
	mux.Handle("GET "+base+"registered-models/alias", f.api(func(p params) (any, error) {
		m, v, err := f.w.aliasVersion(p.get("name"), p.get("alias"))
		if err != nil {
			return nil, err
		}
		return versionResp{m.wireVersion(v)}, nil
	}))
	mux.Handle("GET "+base+"model-versions/search", f.api(func(p params) (any, error) {
		vs, next, err := f.w.reg.searchVersions(p.query)
		return searchVersionsResp{vs, next}, err
	}))
	mux.Handle("GET "+base+"model-versions/get", f.api(func(p params) (any, error) {
		m, v, err := f.w.reg.version(p.get("name"), p.get("version"))
		if err != nil {
			return nil, err
		}
		return versionResp{m.wireVersion(v)}, nil
	}))
	mux.Handle("POST "+base+"model-versions/create", f.api(func(p params) (any, error) {
		tags, err := p.tags()
		if err != nil {
			return nil, err
		}
		if p.get("source") == "" {
			return nil, invalidParam("Missing value for required parameter 'source'.")
		}
		m, v, err := f.w.createVersion(p.get("name"), p.get("source"), p.get("run_id"), p.get("description"), tags)
		if err != nil {
			return nil, err
		}
		return versionResp{m.wireVersion(v)}, nil
	}))
	mux.Handle("POST "+base+"model-versions/transition-stage", f.api(func(p params) (any, error) {
		m, v, err := f.w.transitionStage(p.get("name"), p.get("version"), p.get("stage"), p.bool("archive_existing_versions"))
		if err != nil {
			return nil, err
		}
		return versionResp{m.wireVersion(v)}, nil
	}))
	mux.Handle("POST "+base+"model-versions/set-tag", f.api(func(p params) (any, error) {
		return empty{}, f.w.setVersionTag(p.get("name"), p.get("version"), p.get("key"), p.get("value"))
	}))
	mux.Handle("GET "+base+"runs/get", f.api(func(p params) (any, error) {
		run, err := f.w.run(p.get("run_id"))
		if err != nil {
			return nil, err
		}
		return runResp{run.wire()}, nil
	}))
	mux.Handle("GET "+base+"metrics/get-history", f.api(func(p params) (any, error) {
		run, err := f.w.run(p.get("run_id"))
		if err != nil {
			return nil, err
		}
		if p.get("metric_key") == "" {
			return nil, invalidParam("Missing value for required parameter 'metric_key'.")
		}
		return historyResp{wireMetrics(run.history[p.get("metric_key")])}, nil
	}))
	mux.Handle("/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		writeAPIError(rw, &apiError{http.StatusNotFound, "ENDPOINT_NOT_FOUND", "no such endpoint: " + r.Method + " " + r.URL.Path})
	}))
	return mux
}

func (w *world) run(id string) (*regRun, error) {
	if id == "" {
		return nil, invalidParam("Missing value for required parameter 'run_id'.")
	}
	run, ok := w.reg.runs[id]
	if !ok {
		return nil, notFound("Run with id=%s not found", id)
	}
	return run, nil
}
