package fleet

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr[T any](v T) *T { return &v }

// sampleSnapshot mixes known, unknown and non-finite values, so the golden
// file pins down how each comes out.
func sampleSnapshot() Snapshot {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	m := Model{
		Name: "credit-risk", Description: "XGBoost credit scoring",
		Tags:    map[string]string{"owner": "ravi", "risk_tier": "high"},
		Aliases: map[string]string{"champion": "11", "challenger": "12"},
		Rollout: &Rollout{Phase: "Paused", Strategy: "canary", Stable: "11", Candidate: "12",
			Weights: map[string]float64{"11": 75, "12": 25}, Step: ptr(2), Steps: ptr(4), SetWeight: ptr(25.0),
			Analysis: []AnalysisRun{{Name: "fraud-6d4b8c9f7-3-1", Phase: AnalysisRunning, Metrics: []AnalysisMetric{
				{Name: "error-rate", Phase: AnalysisSuccessful}, {Name: "latency", Phase: AnalysisRunning}}}}},
		InRegistry: true, Serving: true,
		Versions: []Version{
			{
				Version: "11", Track: TrackStable, TrafficWeight: ptr(75.0), RequestsPerSecond: ptr(40.5),
				ErrorRate: ptr(0.005), Latency: Latency{Kind: LatencyHistogram, P50: ptr(0.02), P95: ptr(0.044), P99: ptr(math.NaN())},
				Performance: map[string]float64{"auc": 0.87, "accuracy": 0.9}, Baseline: map[string]float64{"auc": 0.88},
				PerformanceCI: map[string][2]float64{"accuracy": {0.8256, 0.9448}},
				Drift: &Drift{Score: ptr(0.04), Method: "psi", Threshold: ptr(0.1), Drifted: ptr(false), Feature: "income",
					Features:  []FeatureDrift{{Feature: "income", Score: 0.04, Method: "psi", Threshold: ptr(0.1), Drifted: ptr(false), Source: DriftExported}},
					Reference: "registry", NoData: []string{"employment_type"},
					TooFew: []FeatureDrift{{Feature: "employment_type", Score: math.NaN(), Method: "jensenshannon", Threshold: ptr(0.1),
						Source: DriftComputed, Observations: ptr(412.0), MinObservations: ptr(600.0), ObservationsWindow: "current"}}},
				GroundTruth: GroundTruth{LabeledFraction: ptr(0.05), DelayP50Seconds: ptr(86400.0), LastLabelAgeSeconds: ptr(172800.0),
					Labels: ptr(100.0), QualityAsOf: at.Add(-48 * time.Hour)},
				Lineage: &Lineage{RunID: "9e8d7c6b", RunName: "xgb-2026-11", Dataset: &Dataset{Name: "credit-train", Digest: "d1g012"},
					GitCommit: "c0ffee12", CreatedAt: at.Add(-72 * time.Hour)},
				InRegistry: true, Serving: true,
			},
			{Version: "12", Track: TrackCanary, TrafficWeight: ptr(25.0), StaleSince: at.Add(-2 * time.Minute)},
		},
	}
	// As internal/judge leaves it: v11 within every threshold.
	m.Versions[0].Health = Health{Status: StatusOK}
	m.Versions[0].ErrorStatus = StatusOK
	m.Versions[0].Quality = &Quality{Metric: "auc", Live: ptr(0.87), Baseline: ptr(0.88), Delta: 0.01, Labels: ptr(100.0),
		Verdict: QualityWorse, Noise: "display"}
	m.Versions[1].Data = DataState{Stale: true, Since: at.Add(-2 * time.Minute), Problems: []string{"impossible request rate -1/s"}}
	m.Versions[1].DuplicateSeries = []Role{RoleErrorRatio}
	m.Versions[0].Drift.Worst = &m.Versions[0].Drift.Features[0]
	m.Versions[0].Drift.Judged, m.Versions[0].Drift.Share = 1, 0.5
	m.Versions[0].Drift.Features[0].Severity = ptr(0.4)
	// Estimated quality: CBPE's with standard errors (one unknown), and an
	// exporter's own behind an estimated headline.
	m.Versions[0].EstimatedPerformance = map[string]Estimate{"roc_auc": {Value: 0.85, StdError: ptr(0.012)}, "precision": {Value: math.NaN()}}
	m.Versions[0].Calibration = &Calibration{ECE: 0.031, Labels: 5200, Window: 7 * 24 * time.Hour, Threshold: 0.5}
	m.Versions[1].EstimatedPerformance = map[string]Estimate{"accuracy": {Value: 0.9}}
	m.Versions[1].Calibration = &Calibration{Window: 7 * 24 * time.Hour, Threshold: 0.5, Unavailable: "no labelled predictions with scores in 0.7–0.8 over 7d"}
	m.Versions[1].Quality = &Quality{Metric: "accuracy", Live: ptr(0.9), Estimated: true}
	// Data quality: a feature missing past its limit, one with unseen
	// categories, one silent, and the schema's changes.
	m.Versions[0].DataQuality = &DataQuality{Reference: "registry", Predictions: ptr(1000.0),
		Features: []FeatureQuality{
			{Feature: "employment_type", MissingShare: ptr(0.0), Unseen: []CategoryShare{{Category: "gig", Share: 0.04}}, UnseenShare: ptr(0.04)},
			{Feature: "income", MissingShare: ptr(0.07), ReferenceMissingShare: ptr(0.0), MissingLimit: ptr(0.01), OutOfRangeShare: ptr(math.NaN()),
				Problems: []string{"7 % missing"}},
			{Feature: "tenure", Absent: true, Silent: true, Problems: []string{"silent"}},
		},
		Schema: []SchemaChange{{Feature: "region", Change: SchemaAdded}, {Feature: "tenure", Change: SchemaRemoved}}}
	m.Health = Health{Status: StatusOK}
	return Snapshot{
		TakenAt: at,
		Sources: []SourceStatus{
			{Name: "embedded", Kind: "embedded", OK: true, Latency: 42 * time.Millisecond, LastSuccess: at,
				Warnings: []string{"1/2 targets down: connection refused"},
				Targets: []ScrapeTarget{
					{URL: "http://127.0.0.1:9101/metrics", Up: true, LastScrape: at, LastSuccess: at,
						Series: []ModelVersion{{Model: "credit-risk", Version: "11"}, {Model: "credit-risk"}}},
					{URL: "http://127.0.0.1:9102/metrics", Error: "connection refused", LastScrape: at,
						LastSuccess: at.Add(-2 * time.Minute), Series: []ModelVersion{{Model: "credit-risk", Version: "12"}}},
				},
				Profiles: &Profiles{Names: []string{"mltop"}}},
			{Name: "mlflow", Kind: "mlflow", OK: false, Error: "connection refused", LastSuccess: at.Add(-90 * time.Second)},
		},
		Queries: []QueryStatus{{Name: "request_rate", Role: RoleRequestRate, Source: "embedded", OK: true, Series: 2, Duration: 3 * time.Millisecond, LastSuccess: at}},
		Models:  []Model{m, {Name: "orphan"}},
	}
}

func TestSnapshotJSONGolden(t *testing.T) {
	got, err := json.MarshalIndent(sampleSnapshot(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "snapshot.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Errorf("snapshot JSON differs from %s (run go test ./internal/fleet -update if the change is intended and additive)\n got: %s", golden, got)
	}
}

// TestSnapshotJSONUnknownIsNull checks SPEC's rule on the decoded document,
// independently of the golden file: unknown values are null, never 0 or "".
func TestSnapshotJSONUnknownIsNull(t *testing.T) {
	raw, err := json.Marshal(sampleSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema"] != float64(SchemaVersion) {
		t.Fatalf("schema = %v", doc["schema"])
	}
	models := doc["models"].([]any)
	v12 := models[0].(map[string]any)["versions"].([]any)[1].(map[string]any)
	for _, k := range []string{"requests_per_second", "error_rate", "performance", "baseline", "drift", "lineage"} {
		if v12[k] != nil {
			t.Errorf("v12 %s = %v, want null", k, v12[k])
		}
	}
	lat := models[0].(map[string]any)["versions"].([]any)[0].(map[string]any)["latency_seconds"].(map[string]any)
	if lat["p99"] != nil {
		t.Errorf("NaN p99 = %v, want null", lat["p99"])
	}
	if lat["p95"] != 0.044 {
		t.Errorf("p95 = %v", lat["p95"])
	}
	orphan := models[1].(map[string]any)
	if orphan["tags"] != nil || orphan["aliases"] != nil || orphan["rollout"] != nil {
		t.Errorf("orphan model unknowns not null: %v", orphan)
	}
	src := doc["sources"].([]any)
	if src[0].(map[string]any)["error"] != nil || src[1].(map[string]any)["error"] != "connection refused" {
		t.Errorf("source errors: %v", src)
	}
	if age := src[1].(map[string]any)["age_seconds"]; age != 90.0 {
		t.Errorf("stale source age = %v, want 90", age)
	}
	if src[1].(map[string]any)["targets"] != nil {
		t.Errorf("a source that scrapes nothing: targets = %v, want null", src[1].(map[string]any)["targets"])
	}
	down := src[0].(map[string]any)["targets"].([]any)[1].(map[string]any)
	if down["up"] != false || down["error"] != "connection refused" || down["age_seconds"] != 120.0 {
		t.Errorf("down target = %v", down)
	}
	if v12["data_age_seconds"] != 120.0 || v12["stale_since"] != "2026-11-23T11:58:00Z" {
		t.Errorf("stale v12: data_age_seconds %v, stale_since %v", v12["data_age_seconds"], v12["stale_since"])
	}
	v11 := models[0].(map[string]any)["versions"].([]any)[0].(map[string]any)
	if v11["data_age_seconds"] != nil || v11["stale_since"] != nil {
		t.Errorf("fresh v11: data_age_seconds %v, stale_since %v, want null", v11["data_age_seconds"], v11["stale_since"])
	}
}
