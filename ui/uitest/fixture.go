// Package uitest holds fixtures for the screens' golden and flow tests: a
// realistic fleet snapshot and history at a fixed time, so View() output is
// the same on every machine.
package uitest

import (
	"fmt"
	"math"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// Now is the fixed clock of every fixture.
var Now = time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }
func i(v int) *int         { return &v }

// Common returns a Common for tests with the named theme ("dark", "light").
func Common(theme string) *common.Common {
	th, err := themes.ByName(theme, true)
	if err != nil {
		panic(err)
	}
	s := Snapshot()
	return &common.Common{
		Theme: th, Glyphs: themes.Unicode, Snapshot: &s, Now: Now.Add(2 * time.Second),
		Refresh: 5 * time.Second, User: "ana", Role: "operator", Range: time.Hour,
		Thresholds: fleet.DefaultThresholds,
	}
}

type vspec struct {
	version, track         string
	weight, rps, err       float64
	p50, p95, p99, mean    float64
	perf, base             map[string]float64
	drift                  map[string]float64 // feature -> psi
	labeled, age, d50, d95 float64
	labels                 float64 // labelled predictions behind perf; 0: unknown
}

func version(s vspec) fleet.Version {
	v := fleet.Version{Version: s.version, Track: s.track, Serving: true, InRegistry: true,
		TrafficWeight: f(s.weight), RequestsPerSecond: f(s.rps), ErrorRate: f(s.err),
		Performance: s.perf, Baseline: s.base}
	if s.mean > 0 {
		v.Latency = fleet.Latency{Kind: fleet.LatencyMean, Mean: f(s.mean)}
	} else {
		v.Latency = fleet.Latency{Kind: fleet.LatencyHistogram, P50: f(s.p50), P95: f(s.p95), P99: f(s.p99)}
	}
	if s.labeled > 0 {
		v.GroundTruth = fleet.GroundTruth{LabeledFraction: f(s.labeled), LastLabelAgeSeconds: f(s.age),
			DelayP50Seconds: f(s.d50), DelayP95Seconds: f(s.d95),
			// As the merge computes it: labels are complete up to the older
			// of the delay p95 and the newest label.
			QualityAsOf: Now.Add(-time.Duration(max(s.d95, s.age) * float64(time.Second)))}
	}
	if s.labels > 0 {
		v.GroundTruth.Labels = f(s.labels)
	}
	if s.drift != nil {
		d := &fleet.Drift{}
		drifted := 0
		for _, name := range sortedKeys(s.drift) {
			score := s.drift[name]
			fd := fleet.FeatureDrift{Feature: name, Score: score, Method: "psi", Threshold: f(0.1), Drifted: b(score >= 0.1)}
			if score >= 0.1 {
				drifted++
			}
			d.Features = append(d.Features, fd)
			if d.Score == nil || score > *d.Score {
				d.Score, d.Method, d.Threshold, d.Feature = f(score), "psi", f(0.1), name
			}
		}
		d.Drifted = b(float64(drifted)/float64(len(s.drift)) >= 0.5)
		v.Drift = d
	}
	v.Lineage = &fleet.Lineage{
		RunID: fmt.Sprintf("%032x", len(s.version)*7919+int(s.rps)), RunName: "train-" + s.version,
		Source: "models:/m-" + s.version, GitCommit: "c0ffee12" + s.version + "deadbeef",
		Dataset:   &fleet.Dataset{Name: "train-set", Digest: "d1g" + s.version, Source: "s3://data/train"},
		CreatedAt: Now.Add(-72 * time.Hour), CreatedBy: "ci", Stage: "None", Status: "READY",
	}
	return v
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for a := 1; a < len(keys); a++ {
		for c := a; c > 0 && keys[c] < keys[c-1]; c-- {
			keys[c], keys[c-1] = keys[c-1], keys[c]
		}
	}
	return keys
}

// Snapshot is a fleet like the demo's, at Now: an incident, a drifting
// model, a paused canary with stale labels, a shadow, a mean-only model.
func Snapshot() fleet.Snapshot {
	models := []fleet.Model{
		{Name: "payments-fraud", Description: "XGBoost card-fraud classifier",
			Tags:    map[string]string{"owner": "maya", "team": "payments-ml", "risk_tier": "high"},
			Aliases: map[string]string{"champion": "8"},
			Rollout: &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "8", Weights: map[string]float64{"8": 100}},
			Versions: []fleet.Version{version(vspec{version: "8", track: "stable", weight: 100, rps: 1214, err: 0.052,
				p50: 0.21, p95: 0.912, p99: 1.4, perf: map[string]float64{"auc": 0.81}, base: map[string]float64{"auc": 0.88},
				drift: map[string]float64{"amount": 0.04, "merchant_category": 0.02}, labeled: 0.92, age: 180, d50: 90, d95: 600, labels: 5000})}},
		{Name: "churn-predictor", Description: "Monthly churn propensity",
			Tags:    map[string]string{"owner": "li", "team": "growth", "risk_tier": "medium"},
			Aliases: map[string]string{"champion": "3"},
			Rollout: &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "3", Weights: map[string]float64{"3": 100}},
			Versions: []fleet.Version{version(vspec{version: "3", track: "stable", weight: 100, rps: 48.2, err: 0.009,
				p50: 0.012, p95: 0.031, p99: 0.05, perf: map[string]float64{"accuracy": 0.88}, base: map[string]float64{"accuracy": 0.91},
				drift:   map[string]float64{"tenure": 0.27, "monthly_charges": 0.03, "support_calls": 0.02, "plan": 0.01},
				labeled: 0.30, age: 7200, d50: 7200, d95: 14400, labels: 52})}},
		{Name: "credit-risk", Description: "Credit default scoring for personal loans",
			Tags:    map[string]string{"owner": "ravi", "team": "risk", "risk_tier": "high"},
			Aliases: map[string]string{"champion": "11", "challenger": "12"},
			Rollout: &fleet.Rollout{Phase: "Paused", Strategy: "canary", Stable: "11", Candidate: "12",
				Weights: map[string]float64{"11": 75, "12": 25}, Step: i(2), Steps: i(4), SetWeight: f(25)},
			Versions: []fleet.Version{
				version(vspec{version: "11", track: "stable", weight: 75, rps: 40.3, err: 0.005, p50: 0.02, p95: 0.044, p99: 0.07,
					perf: map[string]float64{"auc": 0.87}, base: map[string]float64{"auc": 0.88},
					drift: map[string]float64{"income": 0.03}, labeled: 0.05, age: 49 * 3600, d50: 26 * 3600, d95: 48 * 3600, labels: 400}),
				version(vspec{version: "12", track: "canary", weight: 25, rps: 13.4, err: 0.004, p50: 0.022, p95: 0.047, p99: 0.08,
					perf: map[string]float64{"auc": 0.90}, base: map[string]float64{"auc": 0.91},
					drift: map[string]float64{"income": 0.02}, labeled: 0.05, age: 49 * 3600, d50: 26 * 3600, d95: 48 * 3600, labels: 120}),
			}},
		{Name: "search-ranker", Description: "Learning-to-rank for site search",
			Tags:    map[string]string{"owner": "sam", "team": "search", "risk_tier": "low"},
			Aliases: map[string]string{"champion": "21", "challenger": "22"},
			Rollout: &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "21", Candidate: "22", Weights: map[string]float64{"21": 100, "22": 0}},
			Versions: []fleet.Version{
				version(vspec{version: "21", track: "stable", weight: 100, rps: 3400, err: 0.0002, p50: 0.008, p95: 0.018, p99: 0.03,
					perf: map[string]float64{"ndcg": 0.71}, base: map[string]float64{"ndcg": 0.72}, labeled: 0.64, age: 600, d50: 120, d95: 900, labels: 2000}),
				version(vspec{version: "22", track: "shadow", weight: 0, rps: 3400, err: 0.001, p50: 0.01, p95: 0.022, p99: 0.04,
					perf: map[string]float64{"ndcg": 0.73}, base: map[string]float64{"ndcg": 0.74}, labeled: 0.64, age: 600, d50: 120, d95: 900}),
			}},
		{Name: "image-tagger", Description: "Multi-label image tagging",
			Tags:     map[string]string{"owner": "kim", "team": "vision", "risk_tier": "low"},
			Aliases:  map[string]string{"champion": "2"},
			Versions: []fleet.Version{version(vspec{version: "2", track: "stable", weight: 100, rps: 25, err: 0.091, mean: 0.117})}},
		{Name: "demand-forecast", Description: "Daily demand per store and SKU",
			Tags:    map[string]string{"owner": "ola", "team": "supply", "risk_tier": "medium"},
			Aliases: map[string]string{"champion": "5"},
			Rollout: &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "5", Weights: map[string]float64{"5": 100}},
			Versions: []fleet.Version{version(vspec{version: "5", track: "stable", weight: 100, rps: 115, err: 0.002,
				p50: 0.03, p95: 0.067, p99: 0.1, perf: map[string]float64{"rmse": 12.8, "mae": 8.1}, base: map[string]float64{"rmse": 12.4, "mae": 7.9},
				drift: map[string]float64{"temperature_c": 0.01}, labeled: 0.98, age: 9 * 3600, d50: 12 * 3600, d95: 20 * 3600})}},
		{Name: "eta-predictor", Description: "Delivery ETA regression",
			Tags:    map[string]string{"owner": "noor", "team": "logistics", "risk_tier": "medium"},
			Aliases: map[string]string{"champion": "9"},
			Rollout: &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "9", Weights: map[string]float64{"9": 100}},
			Versions: []fleet.Version{version(vspec{version: "9", track: "stable", weight: 100, rps: 803, err: 0.002,
				p50: 0.011, p95: 0.027, p99: 0.04, perf: map[string]float64{"mae": 2.16}, base: map[string]float64{"mae": 2.1},
				drift: map[string]float64{"weather": 0.02}, labeled: 0.97, age: 42, d50: 30, d95: 300})}},
	}
	churnDrift(models[1].Version("3").Drift)
	addCounts(models)
	for idx := range models {
		models[idx].InRegistry, models[idx].Serving = true, true
		judge.Model(&models[idx], judge.Default())
	}
	return fleet.Snapshot{
		TakenAt: Now,
		Sources: []fleet.SourceStatus{
			{Name: "embedded", Kind: "embedded", OK: true, Latency: 42 * time.Millisecond, LastSuccess: Now},
			{Name: "mlflow", Kind: "mlflow", OK: true, Latency: 180 * time.Millisecond, LastSuccess: Now},
		},
		Models:       models,
		ServingAlias: "champion",
	}
}

// PromotedSnapshot is Snapshot after credit-risk's canary finished: v12
// serves all traffic as the stable version while the registry's champion
// alias still names v11, and v12 is younger (36 h) than its quality figure
// (labels complete up to 49 h ago).
func PromotedSnapshot() fleet.Snapshot {
	s := Snapshot()
	for idx := range s.Models {
		m := &s.Models[idx]
		if m.Name != "credit-risk" {
			continue
		}
		m.Rollout = &fleet.Rollout{Phase: "Healthy", Strategy: "canary", Stable: "12", Weights: map[string]float64{"11": 0, "12": 100}}
		v11, v12 := m.Version("11"), m.Version("12")
		v11.Track, v11.TrafficWeight, v11.RequestsPerSecond = "", f(0), f(0)
		v12.Track, v12.TrafficWeight, v12.RequestsPerSecond = "stable", f(100), f(53.7)
		v12.Lineage.CreatedAt = Now.Add(-36 * time.Hour)
		judge.Model(m, judge.Default())
	}
	return s
}

// Fleet returns n synthetic models (for benchmarks of large fleets):
// the fixture's models repeated under numbered names.
func Fleet(n int) fleet.Snapshot {
	base := Snapshot()
	out := base
	out.Models = make([]fleet.Model, 0, n)
	for k := 0; k < n; k++ {
		m := base.Models[k%len(base.Models)]
		m.Name = fmt.Sprintf("%s-%05d", m.Name, k)
		out.Models = append(out.Models, m)
	}
	return out
}

// History returns a deterministic window for the fixture's versions over
// rng with the given number of points: smooth waves, an incident ramp for
// payments-fraud, a decay for churn-predictor's quality.
func History(rng time.Duration, points int) history.Window {
	if points < 2 {
		points = 2
	}
	step := rng / time.Duration(points)
	w := history.Window{Range: rng, Step: step, End: Now, Series: map[history.Key][]history.Point{}, Errors: map[fleet.Role]string{}}
	s := Snapshot()
	for _, m := range s.Models {
		for _, v := range m.Versions {
			for p := 0; p < points; p++ {
				t := Now.Add(-rng).Add(time.Duration(p+1) * step)
				x := float64(p) / float64(points-1)
				wave := 1 + 0.1*math.Sin(x*6*math.Pi)
				ramp := 1.0
				if m.Name == "payments-fraud" {
					ramp = 0.3 + 0.7*x
				}
				add := func(role fleet.Role, extra string, val float64) {
					k := history.Key{Role: role, Model: m.Name, Version: v.Version, Extra: extra}
					w.Series[k] = append(w.Series[k], history.Point{T: t, V: val})
				}
				add(fleet.RoleRequestRate, "", *v.RequestsPerSecond*wave)
				add(fleet.RoleErrorRatio, "", *v.ErrorRate*ramp*wave)
				if v.Latency.P95 != nil {
					add(fleet.RoleLatencyP95, "", *v.Latency.P95*ramp*wave)
				} else {
					add(fleet.RoleLatencyMean, "", *v.Latency.Mean*wave)
				}
				for metric, live := range v.Performance {
					decay := 0.0
					if m.Name == "churn-predictor" {
						decay = 0.03 * (1 - x)
					}
					add(fleet.RolePerformance, metric, live+decay)
				}
			}
		}
	}
	return w
}

// SnapshotRegisteredAs is Snapshot with the model served under the metrics
// label served joined under its registered name: its series keep the label
// (ServingName) while screens name it registered.
func SnapshotRegisteredAs(served, registered string) fleet.Snapshot {
	s := Snapshot()
	for i := range s.Models {
		if s.Models[i].Name == served {
			s.Models[i].Name, s.Models[i].ServingName = registered, served
		}
	}
	return s
}
