package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/testenv"
)

// mltop history against a real Prometheus holding four days of backfilled
// traffic (churn v2 for two days, then v3; v2 back for the last six
// hours after a rollback): JSON lists each version's intervals with their
// shares, error ratios and quality, text prints them a line each, and an
// unknown model, a bad --since or --format exit 2 in plain words.
func TestHistoryCommand(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	base := now.Truncate(time.Hour)
	hours := func(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }
	backfill := testenv.ServedHistory([]testenv.ServedSpan{
		{Model: "churn", Version: "2", From: hours(-96), To: hours(-48), RPS: 4, ErrorsPerSec: 0.04, Quality: map[string]float64{"accuracy": 0.8}},
		{Model: "churn", Version: "3", From: hours(-48), To: hours(-6), RPS: 4, ErrorsPerSec: 0.4},
		{Model: "churn", Version: "2", From: hours(-6), To: now, RPS: 4, ErrorsPerSec: 0.04, Quality: map[string]float64{"accuracy": 0.8}},
	}, 5*time.Minute)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: backfill})
	cfg := writeConfig(t, fmt.Sprintf("prometheus:\n  url: %s\n", prom.URL))

	code, out, errs := runMltop("history", "churn", "--since", "7d", "--format", "json", "--config", cfg, "--wait", "5s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Model       string `json:"model"`
		StepSeconds int    `json:"step_seconds"`
		Versions    []struct {
			Version string `json:"version"`
			Served  []struct {
				From       time.Time          `json:"from"`
				To         time.Time          `json:"to"`
				Share      float64            `json:"share"`
				ErrorRatio *float64           `json:"error_ratio"`
				LastDay    *float64           `json:"last_day_error_ratio"`
				Quality    map[string]float64 `json:"quality"`
			} `json:"served"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// 7 days in 720 steps: 14 minutes.
	if doc.Model != "churn" || doc.StepSeconds != 14*60 || len(doc.Versions) != 2 || doc.Versions[0].Version != "3" || doc.Versions[1].Version != "2" {
		t.Fatalf("doc = %+v, want churn at 14m steps, v3 then v2", doc)
	}
	step := 14 * time.Minute
	v3, v2 := doc.Versions[0].Served, doc.Versions[1].Served
	if len(v3) != 1 || len(v2) != 2 {
		t.Fatalf("v3 %d intervals, v2 %d; want 1 and 2 (it came back)", len(v3), len(v2))
	}
	within := func(what string, got, want time.Time) {
		if d := got.Sub(want); d < -step || d > step {
			t.Errorf("%s %s, want %s within a step", what, got, want)
		}
	}
	within("v3 from", v3[0].From, hours(-48))
	within("v3 to", v3[0].To, hours(-6))
	within("v2 back from", v2[1].From, hours(-6))
	if e := v3[0].LastDay; e == nil || *e < 0.099 || *e > 0.101 {
		t.Errorf("v3's last day: error ratio %v, want 10%%", e)
	}
	if e := v3[0].ErrorRatio; e == nil || *e < 0.099 || *e > 0.101 || v3[0].Quality != nil || v3[0].Share < 0.98 {
		t.Errorf("v3 = %+v, want 10%% errors, no quality, nearly all traffic (the edge steps overlap)", v3[0])
	}
	if e := v2[0].ErrorRatio; e == nil || *e < 0.0099 || *e > 0.0101 || v2[0].Quality["accuracy"] < 0.799 || v2[0].Quality["accuracy"] > 0.801 {
		t.Errorf("v2 = %+v, want 1%% errors, accuracy .80", v2[0])
	}

	code, out, errs = runMltop("history", "churn", "--since", "7d", "--config", cfg, "--wait", "5s")
	if code != exitOK {
		t.Fatalf("text: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "churn: versions served ") || !strings.Contains(lines[0], "(14m steps)") {
		t.Fatalf("text:\n%s", out)
	}
	for i, want := range []string{"v2", "v3", "v2"} {
		f := strings.Fields(lines[2+i])
		if f[0] != want || f[len(f)-1] == "" {
			t.Errorf("line %d = %q, want %s first", 2+i, lines[2+i], want)
		}
	}
	if !strings.Contains(lines[3], "%  10.0%") || !strings.HasSuffix(lines[3], "—") || !strings.HasSuffix(lines[2], "accuracy .80") {
		t.Errorf("text lines:\n%s", out)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"history", "chrun", "--config", cfg, "--wait", "5s"}, `no model "chrun" in the metrics or its serving history`},
		{[]string{"history", "churn", "--since", "soon", "--config", cfg}, "--since: want a duration"},
		{[]string{"history", "churn", "--format", "yaml", "--config", cfg}, "--format must be text or json"},
		{[]string{"history", "--config", cfg}, "usage: mltop history MODEL"},
	} {
		code, _, errs := runMltop(c.args...)
		if code != exitFailure || !strings.Contains(errs, c.want) {
			t.Errorf("mltop %v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// A Prometheus that does not answer: exit 2, saying which query failed
// and why in plain words.
func TestHistoryWithoutAPrometheus(t *testing.T) {
	t.Parallel()
	cfg := writeConfig(t, "prometheus:\n  url: http://127.0.0.1:1\n")
	code, out, errs := runMltop("history", "churn", "--config", cfg, "--wait", "2s")
	if code != exitFailure || out != "" || !strings.Contains(errs, "mltop history: query request_rate over 30d at a 1h step: ") || !strings.Contains(errs, "refused") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
