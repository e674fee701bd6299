package demo

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

type retrainAnswer struct {
	RunID   string `json:"run_id"`
	URL     string `json:"url"`
	State   string `json:"state"`
	Version string `json:"version"`
	Error   string `json:"error"`
}

func postRetrain(t *testing.T, f *Fleet, body string, key string) (int, retrainAnswer) {
	t.Helper()
	req, err := http.NewRequest("POST", f.WebhookURL(), bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("post retrain: %v", err)
	}
	defer resp.Body.Close()
	var out retrainAnswer
	if err := decodeJSON(resp, &out); err != nil {
		t.Fatalf("decode retrain answer: %v", err)
	}
	return resp.StatusCode, out
}

// storyToReal converts a story duration into the real time to advance.
func storyToReal(d time.Duration) time.Duration { return time.Duration(float64(d) / DefaultSpeed) }

func TestRetrainRegistersVersionAndStartsCanary(t *testing.T) {
	f := startManual(t, 7)
	body := `{"model": "churn-predictor", "reason": "tenure drift", "version": "3"}`
	code, first := postRetrain(t, f, body, "key-1")
	if code != http.StatusAccepted || first.RunID == "" {
		t.Fatalf("retrain: status %d, answer %+v", code, first)
	}
	if !strings.HasSuffix(first.URL, "/runs/"+first.RunID) || !strings.HasPrefix(first.URL, "http://127.0.0.1:") {
		t.Errorf("run url %q", first.URL)
	}
	code, again := postRetrain(t, f, body, "key-1")
	if code != http.StatusAccepted || again.RunID != first.RunID {
		t.Errorf("same Idempotency-Key: status %d, run %q, want the first run %q", code, again.RunID, first.RunID)
	}
	got := f.Received()
	if len(got) != 2 || got[0].Method != "POST" || got[0].Path != "/retrain" ||
		got[1].Header.Get("Idempotency-Key") != "key-1" || string(got[0].Body) != body {
		t.Errorf("received %+v", got)
	}

	var status retrainAnswer
	call(t, "GET", first.URL, nil, &status)
	if status.State != runQueued {
		t.Errorf("state %q right after the request, want queued", status.State)
	}

	f.Advance(storyToReal(TrainingTime) - time.Second)
	call(t, "GET", first.URL, nil, &status)
	if status.State != runRunning {
		t.Errorf("state %q during training, want running", status.State)
	}
	f.Advance(2 * time.Second)
	call(t, "GET", first.URL, nil, &status)
	if status.State != runSucceeded || status.Version != "4" {
		t.Fatalf("after training: %+v, want succeeded with version 4", status)
	}

	var versions struct {
		ModelVersions []struct {
			Version string   `json:"version"`
			RunID   string   `json:"run_id"`
			Aliases []string `json:"aliases"`
		} `json:"model_versions"`
	}
	call(t, "GET", mlflowURL(f, "model-versions/search", url.Values{"filter": {"name='churn-predictor'"}}), nil, &versions)
	if len(versions.ModelVersions) != 4 {
		t.Fatalf("%d versions, want 4", len(versions.ModelVersions))
	}
	v4 := versions.ModelVersions[0]
	if v4.Version != "4" || !slices.Contains(v4.Aliases, "challenger") || v4.RunID != first.RunID {
		t.Errorf("newest version %+v, want 4 with alias challenger from run %s", v4, first.RunID)
	}

	var run struct {
		Run struct {
			Info struct {
				Status string `json:"status"`
			} `json:"info"`
			Data struct {
				Metrics []struct {
					Key   string  `json:"key"`
					Value float64 `json:"value"`
				} `json:"metrics"`
			} `json:"data"`
		} `json:"run"`
	}
	call(t, "GET", mlflowURL(f, "runs/get", url.Values{"run_id": {first.RunID}}), nil, &run)
	if run.Run.Info.Status != "FINISHED" {
		t.Errorf("mlflow run status %q, want FINISHED", run.Run.Info.Status)
	}
	for _, m := range run.Run.Data.Metrics {
		if m.Key == "accuracy" && m.Value <= 0.895 {
			t.Errorf("retrained accuracy %v, want better than v3's 0.895", m.Value)
		}
	}

	all := scrapeAll(t, f)
	if w := value(t, all, "model_traffic_weight", lbl("model", "churn-predictor", "version", "4", "track", "canary")); w != 10 {
		t.Errorf("v4 canary weight %v, want 10", w)
	}
	if s := value(t, all, "model_rollout_step", lbl("model", "churn-predictor")); s != 1 {
		t.Errorf("rollout step %v, want 1", s)
	}
	if w := value(t, all, "model_traffic_weight", lbl("model", "churn-predictor", "version", "3", "track", "stable")); w != 90 {
		t.Errorf("v3 stable weight %v, want 90", w)
	}
}

func TestRetrainReplacesRunningCanary(t *testing.T) {
	f := startManual(t, 8)
	if code, _ := postRetrain(t, f, `{"model": "credit-risk"}`, ""); code != http.StatusAccepted {
		t.Fatalf("retrain: status %d", code)
	}
	f.Advance(storyToReal(TrainingTime) + time.Second)
	all := scrapeAll(t, f)
	if w := value(t, all, "model_traffic_weight", lbl("model", "credit-risk", "version", "13", "track", "canary")); w != 10 {
		t.Errorf("v13 canary weight %v, want 10", w)
	}
	if n := len(series(all, "model_traffic_weight", lbl("model", "credit-risk", "version", "12"))); n != 0 {
		t.Errorf("replaced canary v12 still has %d weight series", n)
	}
}

func TestRetrainRejectsBadRequests(t *testing.T) {
	f := startManual(t, 9)
	cases := []struct {
		body string
		want int
	}{
		{`{"model": `, http.StatusBadRequest},
		{`[1, 2]`, http.StatusBadRequest},
		{`{"reason": "no model"}`, http.StatusBadRequest},
		{`{"model": "no-such-model"}`, http.StatusNotFound},
	}
	for _, c := range cases {
		code, ans := postRetrain(t, f, c.body, "")
		if code != c.want || ans.Error == "" {
			t.Errorf("body %s: status %d error %q, want %d with a message", c.body, code, ans.Error, c.want)
		}
	}
	if n := len(f.Received()); n != len(cases) {
		t.Errorf("recorded %d requests, want %d", n, len(cases))
	}
	var status retrainAnswer
	if code := call(t, "GET", strings.TrimSuffix(f.WebhookURL(), "/retrain")+"/runs/nope", nil, &status); code != http.StatusNotFound {
		t.Errorf("unknown run: status %d", code)
	}
}
