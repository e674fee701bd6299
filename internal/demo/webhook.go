package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// runStatus is the receiver's view of a training run.
type runStatus struct {
	RunID       string `json:"run_id"`
	Model       string `json:"model"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	RequestedAt string `json:"requested_at"`
	Version     string `json:"version,omitempty"` // registered version, once succeeded
	Error       string `json:"error,omitempty"`
	URL         string `json:"url"`
}

type retrainBody struct {
	Model   string `json:"model"`
	Reason  string `json:"reason"`
	Version any    `json:"version"`
}

func (f *Fleet) webhookHandler(base string) http.Handler {
	status := func(run *trainingRun) runStatus {
		s := runStatus{
			RunID: run.id, Model: run.model, State: run.state, Reason: run.reason,
			RequestedAt: run.requestedAt.UTC().Format(time.RFC3339), Error: run.err,
			URL: base + "/runs/" + run.id,
		}
		if run.version > 0 {
			s.Version = strconv.Itoa(run.version)
		}
		return s
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /retrain", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		f.mu.Lock()
		defer f.mu.Unlock()
		f.w.trainer.received = append(f.w.trainer.received, WebhookRequest{
			Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body,
		})
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "could not read body: " + err.Error()})
			return
		}
		var req retrainBody
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body is not a JSON object: " + err.Error()})
			return
		}
		if strings.TrimSpace(req.Model) == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `missing "model"`})
			return
		}
		run, err := f.w.requestTraining(req.Model, req.Reason, r.Header.Get("Idempotency-Key"))
		if err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown model: " + req.Model})
			return
		}
		writeJSON(w, http.StatusAccepted, status(run))
	})
	mux.HandleFunc("GET /runs/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		run, ok := f.w.trainer.byID[r.PathValue("id")]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such run"})
			return
		}
		writeJSON(w, http.StatusOK, status(run))
	})
	return mux
}
