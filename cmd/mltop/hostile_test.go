package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mltop/mltop/internal/termsafe"
)

// hostileCorpus is what a server mltop does not control may put in any
// text it sends, to act on the terminal of whoever reads mltop's output.
var hostileCorpus = map[string]string{
	"csi":        "\x1b[2J\x1b[1;31mRED\x1b[0m",
	"osc 52":     "\x1b]52;c;cm0gLXJmIH4=\x07",
	"osc 0":      "\x1b]0;pwned\x1b\\",
	"osc 8":      "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"bel":        "ding\x07\x07",
	"c1":         "\u009b2J\u009d0;title\u009c\u0085",
	"bidi":       "\u202egnp.exe\u202c \u2067iso\u2069 \u200f",
	"cr":         "hidden\roverwritten",
	"newline":    "ok\nFORGED: healthy: 0 breaches",
	"mixed":      "a\x1b[31m\x1b]52;c;eA==\x07\u009b1m\u202e\r\nFORGED\x00\x7f",
	"10 kB":      strings.Repeat("\x1b]52;c;QUJD\x07x\u202e", 800),
	"plain utf8": "évaluation ✔",
}

// terminalActs is the first character in s a terminal would act on or that
// hides text (anything but newline and tab among the controls, C1,
// invisible and bidi characters, invalid UTF-8), if any.
func terminalActs(s string) (string, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return fmt.Sprintf("invalid byte %#x at %d", s[i], i), true
		}
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || termsafe.Invisible(r) || r == 0x2028 || r == 0x2029 {
			return fmt.Sprintf("%U at %d: %q", r, i, s[max(0, i-40):min(len(s), i+40)]), true
		}
	}
	return "", false
}

// hostileWorld is a Prometheus API, an MLflow REST API and a webhook
// receiver, each answering the text h in every field it sends.
type hostileWorld struct {
	h          string
	model      string // the model's name, in the metrics and the registry
	promDown   atomic.Bool
	aliasFails atomic.Bool
	modelGone  atomic.Bool
	hookFails  atomic.Bool
	config     string // a config file naming the three
}

func (w *hostileWorld) text(field string) string { return field + " " + w.h }

func newHostileWorld(t *testing.T, h string) *hostileWorld {
	t.Helper()
	w := &hostileWorld{h: h, model: "fraud " + h}
	prom := httptest.NewServer(http.HandlerFunc(w.prometheus))
	mlf := httptest.NewServer(http.HandlerFunc(w.mlflow))
	hook := httptest.NewServer(http.HandlerFunc(w.webhook))
	t.Cleanup(func() { prom.Close(); mlf.Close(); hook.Close() })
	dir := t.TempDir()
	w.config = filepath.Join(dir, "mltop.yaml")
	cfg := fmt.Sprintf(`prometheus: {url: %s}
mlflow: {tracking_uri: %s}
audit: {path: %s}
actions:
  rollback: {kind: mlflow-alias}
  retrain: {kind: webhook, url: %s}
`, prom.URL, mlf.URL, filepath.Join(dir, "audit.jsonl"), hook.URL)
	if err := os.WriteFile(w.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

func hostileAnswer(rw http.ResponseWriter, status int, body any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(body)
}

// prometheus answers every query with series whose every label is
// hostile, with a hostile warning; the label-delay queries, or all of
// them when promDown is set, fail with a hostile error.
func (w *hostileWorld) prometheus(rw http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	q := r.Form.Get("query")
	if w.promDown.Load() || strings.Contains(q, "model_ground_truth_delay") {
		hostileAnswer(rw, http.StatusUnprocessableEntity, map[string]any{"status": "error", "errorType": "execution", "error": w.text("error")})
		return
	}
	now := float64(time.Now().Unix())
	mv := map[string]string{"__name__": w.text("name"), "model": w.model, "version": w.text("version")}
	series := func(v string, extra ...string) map[string]any {
		m := map[string]string{}
		for k, x := range mv {
			m[k] = x
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return map[string]any{"metric": m, "value": []any{now, v}}
	}
	var res []any
	switch {
	case strings.Contains(q, " unless "): // warming up: nobody is
	case strings.Contains(q, "model_feature_value_bucket"):
		res = []any{series("10", "feature", w.text("feature"), "le", "0.5"), series("20", "feature", w.text("feature"), "le", "+Inf")}
	case strings.Contains(q, "model_feature_category_total"):
		res = []any{series("5", "feature", w.text("cat-feature"), "category", w.text("category"))}
	case strings.Contains(q, "model_drift_score"):
		res = []any{series("0.4", "feature", w.text("feature"), "method", w.text("method"))}
	case strings.Contains(q, "model_performance"):
		res = []any{series("0.8", "metric", w.text("metric"))}
	case strings.Contains(q, "model_traffic_weight"):
		res = []any{series("100", "track", w.text("track"))}
	case strings.Contains(q, "model_rollout_info"):
		res = []any{map[string]any{"metric": map[string]string{"model": w.model, "phase": w.text("phase"), "strategy": w.text("strategy")}, "value": []any{now, "1"}}}
	case strings.Contains(q, "model_rollout_"):
		res = []any{map[string]any{"metric": map[string]string{"model": w.model}, "value": []any{now, "2"}}}
	default:
		res = []any{series("0.5")}
	}
	hostileAnswer(rw, http.StatusOK, map[string]any{"status": "success", "warnings": []string{w.text("warning")},
		"data": map[string]any{"resultType": "vector", "result": res}})
}

// mlflow is a registry of one model whose names, descriptions, tags, run
// ids and error messages are hostile.
func (w *hostileWorld) mlflow(rw http.ResponseWriter, r *http.Request) {
	tags := []map[string]string{{"key": w.text("tag"), "value": w.text("value")}, {"key": "owner", "value": w.text("owner")}}
	version := func(v string, aliases ...string) map[string]any {
		return map[string]any{"name": w.model, "version": v, "status": "READY", "current_stage": "None",
			"description": w.text("description"), "run_id": w.text("run"), "source": w.text("source"), "user_id": w.text("user"),
			"status_message": w.text("status"), "tags": tags, "aliases": aliases,
			"creation_timestamp": time.Now().Add(-time.Duration(len(v)) * time.Hour).UnixMilli()}
	}
	model := map[string]any{"name": w.model, "description": w.text("description"), "user_id": w.text("user"), "tags": tags,
		"aliases": []map[string]string{{"alias": "champion", "version": "8"}, {"alias": w.text("alias"), "version": "7"}}}
	fail := func(status int, code string) {
		hostileAnswer(rw, status, map[string]string{"error_code": code, "message": w.text("mlflow error")})
	}
	switch p := strings.TrimPrefix(r.URL.Path, "/api/2.0/mlflow/"); {
	case w.modelGone.Load() && strings.HasPrefix(p, "registered-models/get"):
		fail(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST")
	case p == "registered-models/search":
		hostileAnswer(rw, http.StatusOK, map[string]any{"registered_models": []any{model}})
	case p == "registered-models/get":
		hostileAnswer(rw, http.StatusOK, map[string]any{"registered_model": model})
	case p == "model-versions/search":
		hostileAnswer(rw, http.StatusOK, map[string]any{"model_versions": []any{version("8", "champion"), version("7", w.text("alias"))}})
	case p == "registered-models/alias" && r.Method == http.MethodPost:
		if w.aliasFails.Load() {
			fail(http.StatusBadRequest, "INVALID_PARAMETER_VALUE")
			return
		}
		hostileAnswer(rw, http.StatusOK, map[string]any{})
	case p == "registered-models/alias":
		hostileAnswer(rw, http.StatusOK, map[string]any{"model_version": version("7", "champion")})
	case p == "runs/get":
		hostileAnswer(rw, http.StatusOK, map[string]any{"run": map[string]any{
			"info": map[string]any{"run_id": w.text("run"), "run_name": w.text("run name"), "user_id": w.text("user"), "status": "FINISHED"},
			"data": map[string]any{"tags": []map[string]string{{"key": "mlflow.source.git.commit", "value": w.text("commit")}},
				"params": []map[string]string{{"key": w.text("param"), "value": w.text("value")}}}}})
	case p == "metrics/get-history":
		hostileAnswer(rw, http.StatusOK, map[string]any{"metrics": []any{}})
	default:
		fail(http.StatusNotFound, "ENDPOINT_NOT_FOUND")
	}
}

// webhook is a retrain pipeline whose answers are hostile.
func (w *hostileWorld) webhook(rw http.ResponseWriter, r *http.Request) {
	// Read the request as a pipeline does before it answers: answering
	// while a long request (10 kB names, many times over) is still being
	// written makes the server close the connection under the client.
	_, _ = io.Copy(io.Discard, r.Body)
	if w.hookFails.Load() {
		hostileAnswer(rw, http.StatusInternalServerError, map[string]string{"message": w.text("hook error")})
		return
	}
	hostileAnswer(rw, http.StatusAccepted, map[string]string{"run_id": w.text("hook run"), "url": "https://ci.example/" + w.h, "message": w.text("hook message")})
}

// hostileRun is one command against a hostile world.
type hostileRun struct {
	name  string
	args  []string
	setup func(*hostileWorld)
	says  string // on stdout or stderr: the command did its work
	json  bool   // stdout is JSON (or JSON lines)
	// keeps, for JSON, is the text whose original must come back from it.
	keeps func(w *hostileWorld) []string
}

// TestNothingHostileReachesTheTerminal runs every command that prints
// against servers answering hostile text in every field, and asserts
// that no control, C1, bidi or invisible character reaches stdout or
// stderr, and that no value starts a line of its own; JSON output keeps
// the original text, escaped.
func TestNothingHostileReachesTheTerminal(t *testing.T) {
	isolate(t)
	runs := []hostileRun{
		{name: "snapshot table", args: []string{"snapshot", "--format", "table"}, says: "QUALITY"},
		{name: "snapshot json", args: []string{"snapshot", "--format", "json"}, json: true,
			keeps: func(w *hostileWorld) []string {
				return []string{w.model, w.text("metric"), w.text("warning"), w.text("description")}
			}},
		{name: "check text", args: []string{"check", "--format", "text"}, says: "FAILED    prometheus query label_delay_p50: "},
		{name: "check json", args: []string{"check", "--format", "json"}, json: true,
			keeps: func(w *hostileWorld) []string { return []string{w.model, w.text("warning")} }},
		{name: "verdict text", args: []string{"verdict", "MODEL", "--candidate", "7"}, says: "NOT ENOUGH DATA: "},
		{name: "verdict json", args: []string{"verdict", "MODEL", "--candidate", "7", "--format", "json"}, json: true,
			keeps: func(w *hostileWorld) []string { return []string{w.model} }},
		{name: "verdict without a candidate", args: []string{"verdict", "MODEL"}, says: "has no candidate version"},
		{name: "rollback", args: []string{"rollback", "MODEL", "--to", "7", "--reason", "REASON", "--yes"}, says: "SUCCEEDED: "},
		{name: "rollback refused by mlflow", args: []string{"rollback", "MODEL", "--to", "7", "--reason", "REASON", "--yes"}, says: "FAILED: ",
			setup: func(w *hostileWorld) { w.aliasFails.Store(true) }},
		{name: "rollback of a model the registry lost", args: []string{"rollback", "MODEL", "--reason", "REASON", "--yes"}, says: "nothing was sent",
			setup: func(w *hostileWorld) { w.modelGone.Store(true) }},
		{name: "retrain", args: []string{"retrain", "MODEL", "--reason", "REASON", "--yes"}, says: "  run hook run "},
		{name: "retrain refused by the pipeline", args: []string{"retrain", "MODEL", "--reason", "REASON", "--yes"}, says: "hook error",
			setup: func(w *hostileWorld) { w.hookFails.Store(true) }},
		{name: "audit text", args: []string{"audit"}, says: "succeeded"},
		{name: "audit json", args: []string{"audit", "--format", "json"}, json: true,
			keeps: func(w *hostileWorld) []string {
				return []string{w.model, w.text("hook run"), w.text("hook error"), "REASON " + w.h}
			}},
		{name: "reference export", args: []string{"reference", "export", "MODEL", "VERSION", "--last", "1h"}, json: true,
			keeps: func(w *hostileWorld) []string { return []string{w.text("feature")} }},
		{name: "snapshot table, prometheus failing", args: []string{"snapshot", "--format", "table"},
			setup: func(w *hostileWorld) { w.promDown.Store(true) }},
		{name: "check text, prometheus failing", args: []string{"check"},
			setup: func(w *hostileWorld) { w.promDown.Store(true) }},
		{name: "reference export, prometheus failing", args: []string{"reference", "export", "MODEL", "VERSION"},
			setup: func(w *hostileWorld) { w.promDown.Store(true) }},
		{name: "unknown command", args: []string{"COMMAND"}, says: "unknown command"},
		{name: "bad format", args: []string{"check", "--format", "FORMAT"}, says: "--format must be"},
	}
	for name, h := range hostileCorpus {
		t.Run(name, func(t *testing.T) {
			w := newHostileWorld(t, h)
			for _, c := range runs {
				w.promDown.Store(false)
				w.aliasFails.Store(false)
				w.modelGone.Store(false)
				w.hookFails.Store(false)
				if c.setup != nil {
					c.setup(w)
				}
				args := make([]string, 0, len(c.args)+4)
				for _, a := range c.args {
					switch a {
					case "MODEL":
						a = w.model
					case "VERSION":
						a = w.text("version")
					case "REASON":
						a = "REASON " + h
					case "COMMAND", "FORMAT":
						a = "x" + h
					}
					args = append(args, a)
				}
				args = append(args, "--config", w.config, "--log-file", "-")
				var out, errb strings.Builder
				code := run(args, &out, &errb)
				for stream, s := range map[string]string{"stdout": out.String(), "stderr": errb.String()} {
					if where, bad := terminalActs(s); bad {
						t.Errorf("%s: %s carries %s", c.name, stream, where)
					}
					if c.json && stream == "stdout" {
						continue
					}
					for _, line := range strings.Split(s, "\n") {
						if strings.HasPrefix(strings.TrimSpace(line), "FORGED") {
							t.Errorf("%s: a value forged a line of its own on %s: %q", c.name, stream, line)
						}
					}
				}
				if !strings.Contains(out.String()+errb.String(), c.says) {
					t.Errorf("%s: exit %d, output lacks %q:\n%.1500s\n…%s\nstderr: %.1500s", c.name, code, c.says, out.String(), tail(out.String(), 1500), errb.String())
				}
				if out.Len()+errb.Len() == 0 {
					t.Errorf("%s: exit %d and no output at all", c.name, code)
				}
				if c.keeps != nil {
					js := out.String()
					for _, want := range c.keeps(w) {
						if !jsonHoldsText(js, want) {
							t.Errorf("%s (exit %d): JSON lost the original text %.60q\n%.2000s\nstderr: %.500s", c.name, code, want, js, errb.String())
						}
					}
				}
			}
		})
	}
}

// jsonHoldsText reports whether some string in the JSON document (or JSON
// lines) js is, or contains, want.
func jsonHoldsText(js, want string) bool {
	// A server's error may be trimmed (U+0085 is white space) or clipped.
	want = strings.TrimSpace(string([]rune(want)))
	if len(want) > 100 {
		want = strings.ToValidUTF8(want[:100], "")
	}
	dec := json.NewDecoder(strings.NewReader(js))
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			return false
		}
		if holdsText(v, want) {
			return true
		}
	}
}

func holdsText(v any, want string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, want)
	case []any:
		for _, e := range x {
			if holdsText(e, want) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.Contains(k, want) || holdsText(e, want) {
				return true
			}
		}
	}
	return false
}

// tail is the last n bytes of s, where a failure's cause is written.
func tail(s string, n int) string { return s[max(len(s)-n, 0):] }
