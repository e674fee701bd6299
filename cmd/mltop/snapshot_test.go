package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
)

// snapshotDoc is the subset of the schema-1 JSON these tests read.
type snapshotDoc struct {
	Schema  int    `json:"schema"`
	TakenAt string `json:"taken_at"`
	Sources []struct {
		Name  string  `json:"name"`
		OK    bool    `json:"ok"`
		Error *string `json:"error"`
	} `json:"sources"`
	Models []struct {
		Name    string            `json:"name"`
		Tags    map[string]string `json:"tags"`
		Aliases map[string]string `json:"aliases"`
		Rollout *struct {
			Phase     *string            `json:"phase"`
			Strategy  *string            `json:"strategy"`
			Stable    *string            `json:"stable"`
			Candidate *string            `json:"candidate"`
			Weights   map[string]float64 `json:"weights"`
			Step      *int               `json:"step"`
			Steps     *int               `json:"steps"`
		} `json:"rollout"`
		Versions []versionDoc `json:"versions"`
	} `json:"models"`
}

type versionDoc struct {
	Version           string   `json:"version"`
	Track             *string  `json:"track"`
	TrafficWeight     *float64 `json:"traffic_weight"`
	RequestsPerSecond *float64 `json:"requests_per_second"`
	ErrorRate         *float64 `json:"error_rate"`
	Serving           bool     `json:"serving"`
	Latency           struct {
		P50, P95, P99, Mean *float64
	} `json:"latency_seconds"`
	Performance map[string]float64 `json:"performance"`
	Baseline    map[string]float64 `json:"baseline"`
	Drift       *struct {
		Score    *float64 `json:"score"`
		Features []struct {
			Feature string  `json:"feature"`
			Score   float64 `json:"score"`
			Method  string  `json:"method"`
		} `json:"features"`
	} `json:"drift"`
	GroundTruth struct {
		LabeledFraction     *float64 `json:"labeled_fraction"`
		DelayP50Seconds     *float64 `json:"delay_p50_seconds"`
		DelayP95Seconds     *float64 `json:"delay_p95_seconds"`
		LastLabelAgeSeconds *float64 `json:"last_label_age_seconds"`
	} `json:"ground_truth"`
	Lineage *struct {
		RunID     *string `json:"run_id"`
		GitCommit *string `json:"git_commit"`
		Dataset   *struct {
			Name string `json:"name"`
		} `json:"dataset"`
	} `json:"lineage"`
}

func runSnapshot(t *testing.T, args ...string) (snapshotDoc, time.Duration) {
	t.Helper()
	var out, errb strings.Builder
	start := time.Now()
	code := run(append([]string{"snapshot", "--format", "json", "--log-file", "-"}, args...), &out, &errb)
	took := time.Since(start)
	if code != exitOK {
		t.Fatalf("snapshot exit %d: %s", code, errb.String())
	}
	var doc snapshotDoc
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatalf("snapshot JSON: %v\n%s", err, out.String())
	}
	if doc.Schema != 1 {
		t.Fatalf("schema = %d", doc.Schema)
	}
	return doc, took
}

// TestSnapshotDemo is the first promise of the README: one command on a fresh
// clone prints a full picture of the demo fleet within 20 s.
func TestSnapshotDemo(t *testing.T) {
	t.Parallel()
	doc, took := runSnapshot(t, "--demo", "--wait", "20s")
	if took > 20*time.Second {
		t.Errorf("snapshot --demo took %s, want ≤ 20s", took)
	}
	for _, s := range doc.Sources {
		if !s.OK {
			t.Errorf("source %s not ok: %v", s.Name, *s.Error)
		}
	}
	if len(doc.Models) < 6 {
		t.Fatalf("%d models, want ≥ 6", len(doc.Models))
	}
	serving, withDrift, withLabels, withLineage, rollouts := 0, 0, 0, 0, 0
	for _, m := range doc.Models {
		if m.Aliases["champion"] == "" || m.Tags["owner"] == "" {
			t.Errorf("%s: registry aliases/tags missing: %v %v", m.Name, m.Aliases, m.Tags)
		}
		canary := false
		for _, v := range m.Versions {
			canary = canary || (v.Track != nil && *v.Track == "canary")
		}
		if canary {
			if m.Rollout == nil || m.Rollout.Phase == nil || m.Rollout.Candidate == nil {
				t.Errorf("%s: canary without rollout phase/candidate: %+v", m.Name, m.Rollout)
				continue
			}
			rollouts++
			if m.Rollout.Step == nil || m.Rollout.Steps == nil {
				t.Errorf("%s: canary without step/steps", m.Name)
			}
		}
		for _, v := range m.Versions {
			if !v.Serving {
				continue
			}
			serving++
			if v.RequestsPerSecond == nil || v.TrafficWeight == nil || (v.Latency.P95 == nil && v.Latency.Mean == nil) {
				t.Errorf("%s v%s: rps %v weight %v p95 %v mean %v", m.Name, v.Version, v.RequestsPerSecond, v.TrafficWeight, v.Latency.P95, v.Latency.Mean)
			}
			if v.Drift != nil && len(v.Drift.Features) > 0 {
				withDrift++
			}
			if v.GroundTruth.LabeledFraction != nil && v.GroundTruth.LastLabelAgeSeconds != nil && v.GroundTruth.DelayP50Seconds != nil {
				withLabels++
			}
			if v.Lineage != nil && v.Lineage.RunID != nil && v.Lineage.GitCommit != nil && v.Lineage.Dataset != nil {
				withLineage++
			}
		}
	}
	if serving < 9 {
		t.Errorf("%d serving versions, want ≥ 9", serving)
	}
	if rollouts == 0 {
		t.Error("no model with a canary rollout in progress")
	}
	if withDrift == 0 || withLabels == 0 || withLineage < serving/2 {
		t.Errorf("drift on %d, labels on %d, lineage on %d of %d versions", withDrift, withLabels, withLineage, serving)
	}
}

// TestSnapshotEmbeddedMatchesPrometheus: with only scrape.targets set, the
// built-in engine reports what a real Prometheus scraping the same exporter
// answers to the same queries.
func TestSnapshotEmbeddedMatchesPrometheus(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "alpha", Version: "1", Track: "stable", RPS: 20, ErrorsPerSec: 0.5, Weight: 80,
			LatencyBounds: []float64{0.05, 0.1, 0.25, 0.5}, LatencyShares: []float64{0.5, 0.8, 0.95, 0.99},
			Performance: map[string]float64{"auc": 0.87}, LabeledShare: 0.3, DriftPSI: map[string]float64{"tenure": 0.27, "plan": 0.02}},
		{Model: "alpha", Version: "2", Track: "canary", RPS: 5, ErrorsPerSec: 0.05, Weight: 20,
			LatencyBounds: []float64{0.05, 0.1, 0.25, 0.5}, LatencyShares: []float64{0.3, 0.6, 0.9, 0.97},
			Performance: map[string]float64{"auc": 0.9}, LabeledShare: 0.1},
		{Model: "beta", Version: "7", Track: "stable", RPS: 100, Weight: 100,
			LatencyBounds: []float64{0.01, 0.1}, LatencyShares: []float64{0.9, 1}},
	}, map[string][4]string{"alpha": {"Paused", "canary", "2", "4"}})
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	prom.WaitFor("count_over_time(model_predictions_total[1m])", 30*time.Second, func(v model.Vector) bool {
		return len(v) == 3 && v[0].Value >= 3
	})

	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("scrape:\n  targets: [%s]\n", exp.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	// No --wait: the snapshot waits until the 1m rate window is scraped end
	// to end, as a user's would; Prometheus has been scraping longer still.
	doc, _ := runSnapshot(t, "--config", cfgPath)
	takenAt, err := time.Parse(time.RFC3339, doc.TakenAt)
	if err != nil {
		t.Fatal(err)
	}

	cfg := config.DefaultEnv(func(string) string { return "" })
	queries, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	expr := map[string]string{}
	for _, q := range queries {
		expr[q.Role] = q.Expr
	}
	promValue := func(role, mod, version string, extra map[string]string) (float64, bool) {
		for _, s := range prom.Query(expr[role], takenAt) {
			if string(s.Metric["model"]) != mod || (version != "" && string(s.Metric["version"]) != version) {
				continue
			}
			match := true
			for k, v := range extra {
				match = match && string(s.Metric[model.LabelName(k)]) == v
			}
			if match {
				return float64(s.Value), true
			}
		}
		return 0, false
	}
	versions := map[string]versionDoc{}
	for _, m := range doc.Models {
		for _, v := range m.Versions {
			versions[m.Name+"/"+v.Version] = v
		}
	}
	checks := 0
	same := func(what string, got *float64, role, mod, version string, extra map[string]string, truth float64) {
		t.Helper()
		want, ok := promValue(role, mod, version, extra)
		if !ok {
			t.Errorf("%s %s/%s: Prometheus has no value", what, mod, version)
			return
		}
		if got == nil {
			t.Errorf("%s %s/%s: mltop null, Prometheus %g", what, mod, version, want)
			return
		}
		if !near(*got, want, 1e-6) {
			t.Errorf("%s %s/%s: mltop %g, Prometheus %g", what, mod, version, *got, want)
		}
		if !math.IsNaN(truth) && !near(want, truth, 1e-6) {
			t.Errorf("%s %s/%s: Prometheus %g, exporter's truth %g", what, mod, version, want, truth)
		}
		checks++
	}
	nan := math.NaN()
	for _, key := range []string{"alpha/1", "alpha/2", "beta/7"} {
		v, ok := versions[key]
		if !ok {
			t.Fatalf("snapshot lacks %s: %+v", key, doc.Models)
		}
		mod, ver, _ := strings.Cut(key, "/")
		same("request rate", v.RequestsPerSecond, "request_rate", mod, ver, nil, nan)
		same("error ratio", v.ErrorRate, "error_ratio", mod, ver, nil, nan)
		same("latency p50", v.Latency.P50, "latency_p50", mod, ver, nil, nan)
		same("latency p95", v.Latency.P95, "latency_p95", mod, ver, nil, nan)
		same("latency p99", v.Latency.P99, "latency_p99", mod, ver, nil, nan)
		same("traffic weight", v.TrafficWeight, "traffic_weight", mod, ver, nil, nan)
	}
	a1 := versions["alpha/1"]
	same("request rate", a1.RequestsPerSecond, "request_rate", "alpha", "1", nil, 20)
	same("error ratio", a1.ErrorRate, "error_ratio", "alpha", "1", nil, 0.025)
	same("latency p50", a1.Latency.P50, "latency_p50", "alpha", "1", nil, 0.05) // 50% at ≤ 0.05
	auc := a1.Performance["auc"]
	same("quality", &auc, "performance", "alpha", "1", map[string]string{"metric": "auc"}, 0.87)
	same("labelled fraction", a1.GroundTruth.LabeledFraction, "labeled_fraction", "alpha", "1", nil, 0.3)
	same("label delay p50", a1.GroundTruth.DelayP50Seconds, "label_delay_p50", "alpha", "1", nil, 3600)
	same("label delay p95", a1.GroundTruth.DelayP95Seconds, "label_delay_p95", "alpha", "1", nil, nan)
	// label age moves with the evaluation time; taken_at has 1 s resolution.
	if age := a1.GroundTruth.LastLabelAgeSeconds; age == nil || math.Abs(*age-takenAt.Sub(exp.LastSeen).Seconds()) > 1.01 {
		t.Errorf("label age = %v, want %v ± 1s", age, takenAt.Sub(exp.LastSeen).Seconds())
	}
	if a1.Drift == nil || len(a1.Drift.Features) != 2 || a1.Drift.Score == nil || !near(*a1.Drift.Score, 0.27, 1e-9) {
		t.Errorf("drift = %+v", a1.Drift)
	} else {
		for _, f := range a1.Drift.Features {
			want, _ := promValue("drift_score", "alpha", "1", map[string]string{"feature": f.Feature, "method": "psi"})
			if !near(f.Score, want, 1e-9) {
				t.Errorf("drift %s: mltop %g, Prometheus %g", f.Feature, f.Score, want)
			}
		}
	}
	for _, m := range doc.Models {
		if m.Name != "alpha" {
			continue
		}
		r := m.Rollout
		if r == nil || r.Phase == nil || *r.Phase != "Paused" || r.Step == nil || *r.Step != 2 || r.Steps == nil || *r.Steps != 4 ||
			r.Stable == nil || *r.Stable != "1" || r.Candidate == nil || *r.Candidate != "2" {
			t.Errorf("alpha rollout = %+v", r)
		}
	}
	if checks < 25 {
		t.Errorf("only %d comparisons made", checks)
	}
}

func near(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}
