package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
)

// checkDoc is check's JSON verdict.
type checkDoc struct {
	Code     int              `json:"code"`
	Status   string           `json:"status"`
	Models   int              `json:"models"`
	Breaches []report.Breach  `json:"breaches"`
	Failures []report.Failure `json:"failures"`
	Warnings []report.Warning `json:"warnings"`
	Reasons  []report.Reason  `json:"reasons"`
}

// runCheck runs check in both formats and returns the exit codes' common
// value, the text and the JSON verdict. Both formats must agree.
func runCheck(t *testing.T, args ...string) (int, string, checkDoc) {
	t.Helper()
	var text, errb strings.Builder
	code := run(append([]string{"check", "--log-file", "-"}, args...), &text, &errb)
	var js strings.Builder
	errb.Reset()
	jcode := run(append([]string{"check", "--format", "json", "--log-file", "-"}, args...), &js, &errb)
	var doc checkDoc
	if err := json.Unmarshal([]byte(js.String()), &doc); err != nil {
		t.Fatalf("check JSON: %v\n%s\nstderr: %s", err, js.String(), errb.String())
	}
	if doc.Code != jcode {
		t.Errorf("JSON says code %d, exit %d", doc.Code, jcode)
	}
	if code != jcode {
		// The two runs are two polls; the fakes answer the same each time.
		t.Errorf("text exit %d, JSON exit %d", code, jcode)
	}
	return code, text.String(), doc
}

// fakeProm answers the Prometheus query API: answer maps a query to its
// result (a JSON vector) and warnings; a nil answer never answers. It holds
// mltop's convention (profile detection's question finds the mltop
// profile's request counter).
func fakeProm(t *testing.T, answer func(query string) (vector string, warnings []string)) string {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/label/__name__/values" && answer != nil {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"success","data":["model_predictions_total"]}`))
			return
		}
		if r.URL.Path != "/api/v1/query" && answer != nil {
			http.NotFound(w, r)
			return
		}
		if answer == nil {
			select { // a server that never answers
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		_ = r.ParseForm()
		vec, warns := answer(r.Form.Get("query"))
		body := map[string]any{"status": "success",
			"data": map[string]any{"resultType": "vector", "result": json.RawMessage(vec)}}
		if len(warns) > 0 {
			body["warnings"] = warns
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv.URL
}

// fleetAnswer answers the request rate and error ratio of one version of
// model "fraud"; other queries come back empty.
func fleetAnswer(rps, errRatio string, warnings ...string) func(string) (string, []string) {
	sample := func(v string) string {
		return fmt.Sprintf(`[{"metric":{"model":"fraud","version":"8"},"value":[%d,%q]}]`, time.Now().Unix(), v)
	}
	return func(q string) (string, []string) {
		switch {
		case strings.HasPrefix(q, "sum by (model, version) (rate(model_prediction_errors_total["):
			return sample(errRatio), warnings
		case strings.HasPrefix(q, "sum by (model, version) (rate(model_predictions_total["):
			return sample(rps), warnings
		}
		return "[]", warnings
	}
}

// TestCheckExitCodes pins check's exit codes against a fake Prometheus:
// 0 healthy, 1 breached (an error ratio of +Inf too), 2 whenever it cannot
// tell — a partial response, no model at all, a server that does not
// answer within --wait — each saying why in text and JSON.
func TestCheckExitCodes(t *testing.T) {
	isolate(t)
	const partial = `partial: store 10.0.0.7:10901 {prometheus="eu1"}: connection refused`
	cases := []struct {
		name   string
		answer func(string) (string, []string)
		args   []string
		code   int
		kind   string   // reason for 2
		text   []string // in the text output
	}{
		{"healthy", fleetAnswer("10", "0.001"), nil, exitOK, "", []string{"healthy: 1 models, 0 breaches, 0 failures"}},
		{"breached", fleetAnswer("10", "0.08"), nil, exitBreach, "", []string{"CRITICAL  fraud v8: error rate 8.0% ≥ 5.0%"}},
		{"errors without one success", fleetAnswer("0", "+Inf"), nil, exitBreach, "",
			[]string{"CRITICAL  fraud v8: errors with no successful prediction", "breached: 1 models, 1 breaches"}},
		{"partial response", fleetAnswer("10", "0.001", partial), nil, exitFailure, report.ReasonPartialResponse,
			[]string{"WARNING   prometheus: " + partial, "unknown: 1 models, 0 breaches, 0 failures, 1 warning"}},
		{"partial response over a breach", fleetAnswer("10", "0.08", partial), nil, exitFailure, report.ReasonPartialResponse,
			[]string{"WARNING   prometheus: " + partial, "CRITICAL  fraud v8"}},
		{"no models", func(string) (string, []string) { return "[]", nil }, nil, exitFailure, report.ReasonNoModels,
			[]string{"UNKNOWN   no models found: query request_rate (sum by (model, version) (rate(model_predictions_total[1m]))) came back empty",
				"unknown: 0 models"}},
		{"no answer within --wait", nil, []string{"--wait", "1s"}, exitFailure, report.ReasonSourceFailed,
			[]string{"FAILED    prometheus: no answer within 1s; raise --wait"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := fakeProm(t, c.answer)
			code, text, doc := runCheck(t, append([]string{"--prometheus", url}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, text)
			}
			for _, want := range c.text {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			if c.code != exitFailure {
				if len(doc.Reasons) != 0 {
					t.Errorf("reasons for a trusted verdict: %+v", doc.Reasons)
				}
				return
			}
			found := false
			for _, r := range doc.Reasons {
				found = found || r.Kind == c.kind
			}
			if !found {
				t.Errorf("JSON reasons %+v lack %s", doc.Reasons, c.kind)
			}
			if c.kind == report.ReasonPartialResponse && (len(doc.Warnings) != 1 || doc.Warnings[0] != report.Warning{Source: "prometheus", Warning: partial}) {
				t.Errorf("JSON warnings = %+v", doc.Warnings)
			}
		})
	}
}

// TestSnapshotNamesTheWait: a query unanswered when --wait ends is an
// error that names the limit, not "no answer" with a null error.
func TestSnapshotNamesTheWait(t *testing.T) {
	isolate(t)
	url := fakeProm(t, nil)
	var out, errb strings.Builder
	if code := run([]string{"snapshot", "--prometheus", url, "--wait", "1s", "--log-file", "-"}, &out, &errb); code != exitOK {
		t.Fatalf("snapshot exit %d: %s", code, errb.String())
	}
	var doc struct {
		Sources []struct {
			Kind  string  `json:"kind"`
			OK    bool    `json:"ok"`
			Error *string `json:"error"`
		} `json:"sources"`
		Queries []struct {
			Name  string  `json:"name"`
			Error *string `json:"error"`
		} `json:"queries"`
	}
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatal(err)
	}
	// The alert source (the fake's /api/v1/alerts) has a status of its
	// own; this is about the metrics source.
	doc.Sources = slices.DeleteFunc(doc.Sources, func(s struct {
		Kind  string  `json:"kind"`
		OK    bool    `json:"ok"`
		Error *string `json:"error"`
	}) bool {
		return s.Kind == "alerts"
	})
	const want = "no answer within 1s; raise --wait"
	if len(doc.Sources) != 1 || doc.Sources[0].OK || doc.Sources[0].Error == nil || *doc.Sources[0].Error != want {
		t.Fatalf("sources = %s", out.String())
	}
	for _, q := range doc.Queries {
		if q.Error == nil || *q.Error != want {
			t.Errorf("query %s: error %v, want %q", q.Name, q.Error, want)
		}
	}
}

// TestCheckShortWait: with the built-in engine, a --wait that ends before
// the rate window has been scraped end to end cannot tell (rates read low,
// or absurd); the same exporter with the wait left unset is healthy.
func TestCheckShortWait(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "alpha", Version: "1", Track: "stable", RPS: 20, ErrorsPerSec: 0.02, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, nil)
	cfg := writeConfig(t, fmt.Sprintf("window: 4s\nscrape:\n  interval: 1s\n  targets: [%s]\n", exp.URL))

	code, text, doc := runCheck(t, "--config", cfg, "--wait", "1s")
	if code != exitFailure || !strings.Contains(text, "UNKNOWN   the wait ended after") || !strings.Contains(text, "raise --wait") {
		t.Errorf("--wait 1s: exit %d\n%s", code, text)
	}
	if len(doc.Reasons) == 0 || doc.Reasons[len(doc.Reasons)-1].Kind != report.ReasonShortWait {
		t.Errorf("JSON reasons = %+v", doc.Reasons)
	}

	code, text, _ = runCheck(t, "--config", cfg)
	if code != exitOK {
		t.Errorf("without --wait: exit %d\n%s", code, text)
	}
}

// TestCheckDemoShortWait: the demo's incident seen through a 1 s wait is
// not a verdict.
func TestCheckDemoShortWait(t *testing.T) {
	t.Parallel()
	var out, errb strings.Builder
	code := run([]string{"check", "--demo", "--wait", "1s", "--format", "json", "--log-file", "-"}, &out, &errb)
	var doc checkDoc
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	if code != exitFailure || doc.Code != 2 || len(doc.Reasons) == 0 || doc.Reasons[len(doc.Reasons)-1].Kind != report.ReasonShortWait {
		t.Errorf("exit %d: %s", code, out.String())
	}
}

// TestCheckEmptyPrometheus: a real Prometheus that holds none of the
// metrics (a wrong tenant, a renamed metric) answers every query empty:
// check cannot tell, and names the query that came back empty.
func TestCheckEmptyPrometheus(t *testing.T) {
	t.Parallel()
	empty := testenv.StartLinearExporter(t, nil, nil)
	prom := testenv.StartPrometheus(t, []string{empty.URL}, time.Second)
	prom.WaitFor(`count_over_time(up[1m])`, 30*time.Second, func(v model.Vector) bool { return len(v) == 1 && v[0].Value >= 2 })

	cfg := writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\n  profile: mltop\n", prom.URL))
	code, text, doc := runCheck(t, "--config", cfg)
	want := "UNKNOWN   no models found: query request_rate (sum by (model, version) (rate(model_predictions_total[1m]))) came back empty"
	if code != exitFailure || !strings.Contains(text, want) {
		t.Errorf("exit %d, want 2 and %q\n%s", code, want, text)
	}
	if doc.Status != "unknown" || len(doc.Reasons) != 1 || doc.Reasons[0].Kind != report.ReasonNoModels {
		t.Errorf("JSON = %+v", doc)
	}
	// No profile written: detection found nothing, and says what it
	// looked for.
	cfg = writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\n", prom.URL))
	code, text, doc = runCheck(t, "--config", cfg)
	want = "UNKNOWN   no models found: no exporter profile's metrics on the server in the last hour (looked for model_predictions_total, nv_inference_request_failure, "
	if code != exitFailure || !strings.Contains(text, want) {
		t.Errorf("no profile: exit %d, want 2 and %q\n%s", code, want, text)
	}
	if doc.Status != "unknown" || len(doc.Reasons) != 1 || doc.Reasons[0].Kind != report.ReasonNoModels {
		t.Errorf("no profile: JSON = %+v", doc)
	}
}

// TestCheckInfErrorRatio: a real Prometheus divides errors by zero
// predictions into +Inf; that is critical (exit 1), not "—" and healthy.
func TestCheckInfErrorRatio(t *testing.T) {
	t.Parallel()
	broken := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "fraud", Version: "8", Track: "stable", RPS: 0, ErrorsPerSec: 2, Weight: 100,
			LatencyBounds: []float64{0.1}, LatencyShares: []float64{1}},
	}, nil)
	prom := testenv.StartPrometheus(t, []string{broken.URL}, time.Second)
	prom.WaitFor(`count_over_time(model_prediction_errors_total[1m])`, 30*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 3
	})
	cfg := writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\n", prom.URL))
	code, text, doc := runCheck(t, "--config", cfg)
	if code != exitBreach || !strings.Contains(text, "CRITICAL  fraud v8: errors with no successful prediction") {
		t.Errorf("exit %d, want 1\n%s", code, text)
	}
	if len(doc.Breaches) != 1 || doc.Breaches[0].Check != "error_rate" || doc.Breaches[0].Status != "critical" {
		t.Errorf("JSON breaches = %+v", doc.Breaches)
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckThanosPartialResponse: through a real Thanos Query whose only
// store dies, every answer carries a partial-response warning: check
// cannot tell, prints the warning naming the store and carries it in JSON.
func TestCheckThanosPartialResponse(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "alpha", Version: "1", Track: "stable", RPS: 20, ErrorsPerSec: 0.02, Weight: 100,
			LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, nil)
	th := testenv.StartThanos(t, []string{exp.URL}, time.Second)
	th.WaitFor(`count_over_time(model_predictions_total[1m])`, 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && v[0].Value >= 3
	})
	cfg := writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\n", th.URL))
	if code, text, _ := runCheck(t, "--config", cfg); code != exitOK {
		t.Fatalf("while the store is up: exit %d\n%s", code, text)
	}

	th.StopSidecar()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, w := th.QueryWarnings(`model_predictions_total`, time.Now()); len(w) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no partial-response warning within 30s")
		}
		time.Sleep(200 * time.Millisecond) // polling an external server
	}
	code, text, doc := runCheck(t, "--config", cfg)
	store := "store " + th.StoreAddr
	if code != exitFailure || !strings.Contains(text, "WARNING   prometheus: "+store) {
		t.Errorf("with the store down: exit %d, want 2 and a warning naming %s\n%s", code, store, text)
	}
	partial := false
	for _, r := range doc.Reasons {
		partial = partial || r.Kind == report.ReasonPartialResponse
	}
	if !partial || len(doc.Warnings) == 0 || !strings.HasPrefix(doc.Warnings[0].Warning, store) {
		t.Errorf("JSON reasons %+v, warnings %+v", doc.Reasons, doc.Warnings)
	}
	t.Logf("%s", text)
}
