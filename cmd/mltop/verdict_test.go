package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
)

// The verdict window of the integration test: short, so that the test
// waits for Prometheus to hold more than one window of samples.
const verdictTestWindow = 10 * time.Second

// verdictFleet is three models, each a stable version and a canary whose
// counters grow at exact rates, so that the counts over the verdict
// window are known: rate × 10 s.
//   - worse: the canary fails 5 % of 10,000 requests, the stable 1 % of 10,000
//   - few:   the canary has 50 requests, below the verdict's minimum
//   - equal: both 10,000 requests, 100 errors, the same latencies
func verdictFleet() []testenv.LinearSeries {
	latency := func(s testenv.LinearSeries) testenv.LinearSeries {
		s.LatencyBounds, s.LatencyShares = []float64{0.05, 0.1, 0.25}, []float64{0.6, 0.9, 0.99}
		return s
	}
	var out []testenv.LinearSeries
	for _, s := range []testenv.LinearSeries{
		{Model: "worse", Version: "1", Track: "stable", RPS: 1000, ErrorsPerSec: 10, Weight: 90},
		{Model: "worse", Version: "2", Track: "canary", RPS: 1000, ErrorsPerSec: 50, Weight: 10},
		{Model: "few", Version: "1", Track: "stable", RPS: 1000, ErrorsPerSec: 10, Weight: 99},
		{Model: "few", Version: "2", Track: "canary", RPS: 5, ErrorsPerSec: 0.05, Weight: 1},
		{Model: "equal", Version: "1", Track: "stable", RPS: 1000, ErrorsPerSec: 10, Weight: 50},
		{Model: "equal", Version: "2", Track: "canary", RPS: 1000, ErrorsPerSec: 10, Weight: 50},
	} {
		out = append(out, latency(s))
	}
	return out
}

// verdictPrometheus starts the exporter and a real Prometheus scraping it
// every second, waits until Prometheus holds more than a verdict window
// of samples, and writes a config that reads it.
func verdictPrometheus(t *testing.T) (config string) {
	t.Helper()
	exp := testenv.StartLinearExporter(t, verdictFleet(), nil)
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	// More than a window of samples: increase() over the window then
	// spans it end to end, and a linear counter's increase is exact.
	want := int(verdictTestWindow/time.Second) + 3
	prom.WaitFor(`count_over_time(model_predictions_total[1m])`, 60*time.Second, func(v model.Vector) bool {
		if len(v) != 6 {
			return false
		}
		for _, s := range v {
			if int(s.Value) < want {
				return false
			}
		}
		return true
	})
	return writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\nverdict:\n  window: %s\n", prom.URL, verdictTestWindow))
}

// runVerdict runs mltop verdict in text and JSON; both exit the same.
func runVerdict(t *testing.T, args ...string) (code int, text, stderr string, doc report.VerdictDoc) {
	t.Helper()
	var out, errb strings.Builder
	code = run(append([]string{"verdict", "--log-file", "-"}, args...), &out, &errb)
	var js, jerr strings.Builder
	jcode := run(append([]string{"verdict", "--format", "json", "--log-file", "-"}, args...), &js, &jerr)
	if code != jcode {
		t.Errorf("verdict %v: text exit %d, JSON exit %d", args, code, jcode)
	}
	if js.Len() > 0 {
		if err := json.Unmarshal([]byte(js.String()), &doc); err != nil {
			t.Fatalf("verdict %v JSON: %v\n%s", args, err, js.String())
		}
	}
	return code, out.String(), errb.String(), doc
}

// row is the named row of a verdict, or fails the test.
func verdictRow(t *testing.T, doc report.VerdictDoc, quantity string) report.VerdictRowDoc {
	t.Helper()
	for _, r := range doc.Rows {
		if r.Quantity == quantity {
			return r
		}
	}
	t.Fatalf("%s: no %s row in %+v", doc.Model, quantity, doc.Rows)
	return report.VerdictRowDoc{}
}

// TestVerdictAgainstPrometheus: with known counts in a real Prometheus,
// `mltop verdict` and /v1/verdict on `mltop serve --http-only` agree: a
// canary significantly worse fails (exit 1, HTTP 409), one with too few
// requests cannot be judged yet (2, 425) and says how many it has and
// needs, an equal one passes (0, 200) and its ≈ rows say how many more
// requests would tell a difference. Unknown names are 2 and 404 with a
// suggestion.
func TestVerdictAgainstPrometheus(t *testing.T) {
	isolate(t)
	cfg := verdictPrometheus(t)

	code, text, _, doc := runVerdict(t, "worse", "--config", cfg)
	if code != exitBreach || doc.Outcome != "fail" || doc.Candidate != "2" || doc.Baseline != "1" || doc.WindowSeconds != verdictTestWindow.Seconds() {
		t.Errorf("worse: exit %d, %+v\n%s", code, doc, text)
	}
	if r := verdictRow(t, doc, "error_rate"); r.Comparison != "worse" || !closeTo(r.CandidateSamples, 10000) || !closeTo(r.BaselineSamples, 10000) ||
		r.Candidate == nil || !closeTo(r.Candidate, 0.05) || !closeTo(r.Baseline, 0.01) {
		t.Errorf("worse: error_rate row %+v", r)
	}
	if !regexp.MustCompile(`(?m)^error_rate +5% of 10,000 +1% of 10,000 +worse `).MatchString(text) || !strings.Contains(text, "\nFAIL: ") {
		t.Errorf("worse: text\n%s", text)
	}

	code, text, _, doc = runVerdict(t, "few", "--config", cfg)
	if code != exitFailure || doc.Outcome != "not_enough_data" || doc.Candidate != "2" {
		t.Errorf("few: exit %d, %+v\n%s", code, doc, text)
	}
	if !strings.Contains(doc.Why, "50 requests") || !strings.Contains(doc.Why, "at least 200") || !strings.Contains(text, "NOT ENOUGH DATA: ") {
		t.Errorf("few: why %q does not say how many it has and needs\n%s", doc.Why, text)
	}

	code, text, _, doc = runVerdict(t, "equal", "--config", cfg)
	if code != exitOK || doc.Outcome != "pass" {
		t.Errorf("equal: exit %d, %+v\n%s", code, doc, text)
	}
	if r := verdictRow(t, doc, "error_rate"); r.Comparison != "same" || r.NeedMore == "" || !closeTo(r.CandidateSamples, 10000) {
		t.Errorf("equal: error_rate row %+v", r)
	}
	if !regexp.MustCompile(`(?m)^error_rate +1% of 10,000 +1% of 10,000 +≈ `).MatchString(text) || !strings.Contains(text, "\nPASS: ") {
		t.Errorf("equal: text\n%s", text)
	}

	t.Logf("equal:\n%s", text)

	code, text, stderr, _ := runVerdict(t, "equa", "--config", cfg)
	if code != exitFailure || text != "" || !strings.Contains(stderr, `no model "equa" in the snapshot; did you mean equal?`) {
		t.Errorf("typo: exit %d, stdout %q, stderr %q", code, text, stderr)
	}
	code, _, stderr, _ = runVerdict(t, "equal", "--candidate", "3", "--config", cfg)
	if code != exitFailure || !strings.Contains(stderr, `model "equal" has no version "3"; did you mean 1, 2?`) {
		t.Errorf("unknown candidate: exit %d, stderr %q", code, stderr)
	}

	verdictOverHTTP(t, cfg)
}

// verdictOverHTTP runs mltop serve --http-only in this process and asks
// it for the same verdicts, then stops it with SIGINT.
func verdictOverHTTP(t *testing.T, cfg string) {
	var stdout, stderr serveOutput
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--http-only", "--metrics-listen", "127.0.0.1:0", "--config", cfg, "--refresh", "1s", "--log-file", "-"}, &stdout, &stderr)
	}()
	listening := regexp.MustCompile(`HTTP only on (127\.0\.0\.1:\d+)`)
	awaitServe(t, 30*time.Second, "the HTTP listener", func() bool { return listening.MatchString(stdout.String()) })
	base := "http://" + listening.FindStringSubmatch(stdout.String())[1]
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) (int, string) {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	// Until the first poll has ended every answer is 425.
	awaitServe(t, 30*time.Second, "the first poll", func() bool {
		_, body := get("/v1/verdict?model=equal")
		return !strings.Contains(body, "first poll")
	})
	cases := []struct {
		path    string
		status  int
		outcome string
	}{
		{"/v1/verdict?model=worse", 409, "fail"},
		{"/v1/verdict?model=worse&candidate=2", 409, "fail"},
		{"/v1/verdict?model=few", 425, "not_enough_data"},
		{"/v1/verdict?model=equal", 200, "pass"},
	}
	for _, c := range cases {
		status, body := get(c.path)
		var doc report.VerdictDoc
		if err := json.Unmarshal([]byte(body), &doc); err != nil || status != c.status || doc.Outcome != c.outcome {
			t.Errorf("GET %s: %d %s, want %d %s", c.path, status, body, c.status, c.outcome)
		}
	}
	if status, body := get("/v1/verdict?model=equa"); status != 404 || !strings.Contains(body, `"did_you_mean": [`) {
		t.Errorf("typo: %d %s", status, body)
	}
	if status, body := get("/metrics"); status != 200 || !strings.Contains(body, "mltop_") {
		t.Errorf("/metrics: %d %.200s", status, body)
	}

	interruptServe(t, code, &stderr, "serve --http-only")
}

// closeTo: within a part in a thousand (Prometheus computes in floats).
func closeTo(p *float64, want float64) bool {
	return p != nil && (*p-want)*(*p-want) <= (want*1e-3)*(want*1e-3)
}

// --http-only without --metrics-listen says what is missing, and needs
// no users.
func TestServeHTTPOnlyNeedsAnAddress(t *testing.T) {
	isolate(t)
	cfg := writeServeConfig(t, "scrape:\n  targets: [http://127.0.0.1:1/metrics]\n")
	var stdout, stderr strings.Builder
	code := run([]string{"serve", "--http-only", "--config", cfg, "--log-file", "-"}, &stdout, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "--http-only serves only the HTTP listener, and --metrics-listen ADDR says where") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "nobody may connect") {
		t.Errorf("--http-only asked for SSH users: %q", stderr.String())
	}
}

// Usage errors and a missing config are 2: 1 means "fail".
func TestVerdictUsage(t *testing.T) {
	isolate(t)
	cases := []struct {
		args []string
		says string
	}{
		{[]string{"verdict"}, "mltop verdict: no model named"},
		{[]string{"verdict", "a", "b"}, "one model at a time"},
		{[]string{"verdict", "a", "--format", "yaml"}, "--format must be text or json"},
		{[]string{"verdict", "a"}, "no config file found"},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		if code := run(append(c.args, "--log-file", "-"), &out, &errb); code != exitFailure || !strings.Contains(errb.String(), c.says) || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, out.String(), errb.String(), c.says)
		}
	}
}
