package chaos

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// MLflowMode is one way an MLflow tracking server can misbehave.
type MLflowMode string

// The MLflow modes. MLflowGood is a registry of one model, "fraud", whose
// version 2 is the champion and version 1 the one before; the POST modes
// read well and fail only on writes.
const (
	MLflowGood       MLflowMode = "good"
	MLflowGarbage    MLflowMode = "garbage"
	MLflowHTML       MLflowMode = "html"
	MLflowRateLimit  MLflowMode = "429 loop"
	MLflowDown       MLflowMode = "503"
	MLflowEndless    MLflowMode = "endless pagination"
	MLflowMany       MLflowMode = "10000 models"
	MLflowSlowWrites MLflowMode = "slow writes"
	MLflowPost5xx    MLflowMode = "5xx on post"
	MLflowPost4xx    MLflowMode = "4xx on post"
	MLflowPostReset  MLflowMode = "reset on post"
	MLflowHostile    MLflowMode = "hostile text"
)

// MLflowModes is every fault mode, MLflowGood excluded.
var MLflowModes = []MLflowMode{MLflowGarbage, MLflowHTML, MLflowRateLimit, MLflowDown, MLflowEndless, MLflowMany,
	MLflowSlowWrites, MLflowPost5xx, MLflowPost4xx, MLflowPostReset, MLflowHostile}

// ManyModels is how many models MLflowMany holds.
const ManyModels = 10_000

// Hostile is text that would act on a terminal: it clears the screen, sets
// the clipboard, forges a line and reverses the text after it.
const Hostile = "\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\u009b31m\r\nFORGED: healthy\u202e\x00"

// MLflow is a fake tracking server; Writes counts the POSTs it received.
type MLflow struct {
	*httptest.Server
	Writes atomic.Int64
}

// NewMLflow starts a fake MLflow REST API answering in mode m. Slow writes
// last until the request's context ends or done is closed.
func NewMLflow(m MLflowMode, done <-chan struct{}) *MLflow {
	f := &MLflow{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			f.Writes.Add(1)
		}
		f.serve(w, r, m, done)
	}))
	return f
}

func mlflowJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *MLflow) serve(w http.ResponseWriter, r *http.Request, m MLflowMode, done <-chan struct{}) {
	switch m {
	case MLflowGarbage:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "\x00\xff{{{garbage\x1b[2J"+strings.Repeat("]", 100))
		return
	case MLflowHTML:
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, HTMLPage)
		return
	case MLflowRateLimit:
		w.Header().Set("Retry-After", "1")
		mlflowJSON(w, http.StatusTooManyRequests, map[string]string{"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "slow down"})
		return
	case MLflowDown:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Unavailable</h1></body></html>")
		return
	}
	name, text := "fraud", func(s string) string { return s }
	if m == MLflowHostile {
		name = "fraud" + Hostile
		text = func(s string) string { return s + " " + Hostile }
	}
	model := func(n string) map[string]any {
		return map[string]any{"name": n, "description": text("scores card payments"), "tags": []map[string]string{{"key": "owner", "value": text("risk")}},
			"aliases": []map[string]string{{"alias": "champion", "version": "2"}}}
	}
	version := func(n, v string, aliases ...string) map[string]any {
		return map[string]any{"name": n, "version": v, "status": "READY", "current_stage": "None", "run_id": text("run" + v),
			"description": text("v" + v), "aliases": aliases, "creation_timestamp": time.Now().Add(-time.Hour * time.Duration(10-len(v))).UnixMilli()}
	}
	p := strings.TrimPrefix(r.URL.Path, "/api/2.0/mlflow/")
	if r.Method == http.MethodPost {
		switch m {
		case MLflowSlowWrites:
			select {
			case <-r.Context().Done():
			case <-done:
			}
			return
		case MLflowPost5xx:
			mlflowJSON(w, http.StatusInternalServerError, map[string]string{"error_code": "INTERNAL_ERROR", "message": "database is locked"})
			return
		case MLflowPost4xx:
			mlflowJSON(w, http.StatusBadRequest, map[string]string{"error_code": "INVALID_PARAMETER_VALUE", "message": "alias\nrefused \x1b[31mno\x1b[0m"})
			return
		case MLflowPostReset:
			panic(http.ErrAbortHandler)
		}
	}
	switch p {
	case "registered-models/search":
		switch m {
		case MLflowEndless:
			page, _ := strconv.Atoi(r.URL.Query().Get("page_token"))
			mlflowJSON(w, http.StatusOK, map[string]any{"registered_models": []any{model(fmt.Sprintf("m-%d", page))}, "next_page_token": strconv.Itoa(page + 1)})
		case MLflowMany:
			start, _ := strconv.Atoi(r.URL.Query().Get("page_token"))
			size, _ := strconv.Atoi(r.URL.Query().Get("max_results"))
			if size <= 0 || size > 1000 {
				size = 100
			}
			var ms []any
			for i := start; i < min(start+size, ManyModels); i++ {
				ms = append(ms, model(fmt.Sprintf("model-%05d", i)))
			}
			ans := map[string]any{"registered_models": ms}
			if start+size < ManyModels {
				ans["next_page_token"] = strconv.Itoa(start + size)
			}
			mlflowJSON(w, http.StatusOK, ans)
		default:
			mlflowJSON(w, http.StatusOK, map[string]any{"registered_models": []any{model(name)}})
		}
	case "registered-models/get":
		mlflowJSON(w, http.StatusOK, map[string]any{"registered_model": model(r.URL.Query().Get("name"))})
	case "model-versions/search":
		n := name
		if f := r.URL.Query().Get("filter"); strings.Contains(f, "'") {
			n = strings.Split(f, "'")[1]
		}
		mlflowJSON(w, http.StatusOK, map[string]any{"model_versions": []any{version(n, "2", "champion"), version(n, "1")}})
	case "registered-models/alias":
		if r.Method == http.MethodPost {
			mlflowJSON(w, http.StatusOK, map[string]any{})
			return
		}
		mlflowJSON(w, http.StatusOK, map[string]any{"model_version": version(name, "2", "champion")})
	case "model-versions/get":
		mlflowJSON(w, http.StatusOK, map[string]any{"model_version": version(name, r.URL.Query().Get("version"))})
	case "runs/get":
		mlflowJSON(w, http.StatusOK, map[string]any{"run": map[string]any{"info": map[string]any{"run_id": text("run"), "status": "FINISHED"}}})
	case "metrics/get-history":
		mlflowJSON(w, http.StatusOK, map[string]any{"metrics": []any{}})
	default:
		mlflowJSON(w, http.StatusNotFound, map[string]string{"error_code": "ENDPOINT_NOT_FOUND", "message": text("no such endpoint")})
	}
}
