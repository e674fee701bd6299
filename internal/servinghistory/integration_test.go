package servinghistory_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/servinghistory"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/mlflow"
	"github.com/mltop/mltop/sources/prometheus"
)

// registry is an in-process registry: payments-fraud with versions 5 to
// 8, champion 8.
type registry struct{}

func (registry) GetRegisteredModel(context.Context, string) (mlflow.RegisteredModel, error) {
	return mlflow.RegisteredModel{Name: "payments-fraud", Aliases: []mlflow.RegisteredModelAlias{{Alias: "champion", Version: "8"}}}, nil
}

func (registry) AllModelVersions(context.Context, string) ([]mlflow.ModelVersion, error) {
	var out []mlflow.ModelVersion
	for _, v := range []string{"5", "6", "7", "8"} {
		out = append(out, mlflow.ModelVersion{Name: "payments-fraud", Version: v, Status: "READY"})
	}
	return out, nil
}

func (registry) SetAlias(context.Context, string, string, string) error { return nil }

func (registry) TransitionStage(context.Context, string, string, string, bool) error { return nil }

func (registry) TrackingURI() string { return "http://registry.invalid" }

// TestServedFromARealPrometheus: twelve days of payments-fraud backfilled
// into a real Prometheus (v6 for five days at 0.2 % errors, v7 for four
// at 3 %, v8 as a 1-in-11 canary beside v7 for twelve hours and then
// alone) read through the configured mltop queries: the intervals have
// the right versions, ends (within a step), shares, error ratios and AUC,
// and a rollback from v8 picks v6 as the last known good (v7's errors are
// over half the 5 % threshold), saying so in the plan.
func TestServedFromARealPrometheus(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	base := now.Truncate(time.Hour)
	day := func(d float64) time.Time { return base.Add(time.Duration(d * float64(24*time.Hour))) }
	spans := []testenv.ServedSpan{
		{Model: "payments-fraud", Version: "6", From: day(-12), To: day(-7), RPS: 10, ErrorsPerSec: 0.02, Quality: map[string]float64{"auc": 0.88}},
		{Model: "payments-fraud", Version: "7", From: day(-7), To: day(-3), RPS: 10, ErrorsPerSec: 0.3, Quality: map[string]float64{"auc": 0.90}},
		{Model: "payments-fraud", Version: "8", From: day(-3.5), To: day(-3), RPS: 1, ErrorsPerSec: 0.001, Quality: map[string]float64{"auc": 0.91}},
		{Model: "payments-fraud", Version: "8", From: day(-3), To: now, RPS: 10, ErrorsPerSec: 0.01, Quality: map[string]float64{"auc": 0.91}},
	}
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Interval: time.Hour, Backfill: testenv.ServedHistory(spans, 5*time.Minute),
	})
	src, err := prometheus.New(prometheus.Options{URL: prom.URL, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	qs, err := cfg.SentQueries()
	if err != nil {
		t.Fatal(err)
	}
	var hq []history.Query
	for _, q := range qs {
		hq = append(hq, history.Query{Role: fleet.Role(q.Role), Expr: q.Expr})
	}
	p := servinghistory.New(src, hq, servinghistory.Options{MinStep: 15 * time.Second, Now: func() time.Time { return now }})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got, err := p.Served(ctx, "", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	ivs := got["payments-fraud"]
	for _, iv := range ivs {
		t.Logf("v%s %s → %s share %.3f err %v quality %v", iv.Version, iv.From.UTC().Format(time.RFC3339), iv.To.UTC().Format(time.RFC3339), iv.Share, deref(iv.ErrorRatio), iv.Quality)
	}
	if len(ivs) != 3 || ivs[0].Version != "6" || ivs[1].Version != "7" || ivs[2].Version != "8" {
		t.Fatalf("intervals = %v, want one each for v6, v7 and v8, oldest first", ivs)
	}
	step := time.Hour // 30 days in 720 steps
	for i, w := range []struct {
		from, to   time.Time
		share, err float64
		auc        float64
	}{
		// An interval begins within a step of the traffic's start, whatever
		// the grid's phase.
		{day(-12), day(-7), 1, 0.002, 0.88},
		// v7 shares its last twelve hours with the canary: 10 of 11.
		{day(-7), day(-3), (3.5*24 + 0.5*24*10.0/11) / (4 * 24), 0.03, 0.90},
		// v8 at 1 of 11 for twelve hours, then alone up to now: its mean share.
		{day(-3.5), now, (0.5*24/11 + 3*24) / (3.5 * 24), 0.001, 0.91},
	} {
		iv := ivs[i]
		if d := iv.From.Sub(w.from); d < -step || d > step {
			t.Errorf("v%s from %s, want %s within a step", iv.Version, iv.From.UTC(), w.from)
		}
		if d := iv.To.Sub(w.to); d < -step || d > step {
			t.Errorf("v%s to %s, want %s within a step", iv.Version, iv.To.UTC(), w.to)
		}
		// A step's worth of the edges moves the means a little.
		if math.Abs(iv.Share-w.share) > 0.02 {
			t.Errorf("v%s share %.4f, want %.4f", iv.Version, iv.Share, w.share)
		}
		if iv.ErrorRatio == nil || math.Abs(*iv.ErrorRatio-w.err) > w.err/20 {
			t.Errorf("v%s error ratio %v, want %v", iv.Version, deref(iv.ErrorRatio), w.err)
		}
		if math.Abs(iv.Quality["auc"]-w.auc) > 1e-9 {
			t.Errorf("v%s quality %v, want auc %v", iv.Version, iv.Quality, w.auc)
		}
	}

	ex, err := actions.New(actions.Options{
		Actions:  config.Actions{Rollback: config.Action{Kind: config.DefaultRollbackKind}},
		Registry: registry{}, Audit: audit.New(t.TempDir() + "/audit.jsonl"),
		Served: p, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := &fleet.Model{Name: "payments-fraud", Versions: []fleet.Version{
		{Version: "8", Track: fleet.TrackStable}, {Version: "6", Baseline: map[string]float64{"auc": 0.9}},
	}}
	plan, err := ex.Plan(ctx, actions.Request{Action: actions.Rollback, Model: "payments-fraud", Snapshot: snap,
		Actor: actions.Actor{User: "ana", Role: config.RoleOperator}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.To != "6" || plan.DefaultFrom != actions.DefaultLastKnownGood {
		t.Fatalf("rollback to v%s (%s), want v6, the last known good; why: %s", plan.To, plan.DefaultFrom, plan.DefaultWhy)
	}
	if !strings.HasPrefix(plan.DefaultWhy, "v6 — served 5 days, err 0.2%, auc .88: last known good") {
		t.Errorf("why = %q", plan.DefaultWhy)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
