package wiring_test

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/sources/prometheus"
)

// startDemoBehindPrometheus runs the demo fleet and a real Prometheus that
// scrapes it every second, and waits until every exporter has data.
func startDemoBehindPrometheus(t *testing.T) (*demo.Fleet, *testenv.Prometheus) {
	t.Helper()
	f, err := demo.Start(context.Background(), demo.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	prom := testenv.StartPrometheus(t, f.Targets(), time.Second)
	prom.WaitFor("count(count_over_time(model_predictions_total[1m]) >= 5)", 60*time.Second, func(v model.Vector) bool {
		return len(v) == 1 && int(v[0].Value) >= 9
	})
	return f, prom
}

func promQueries(t testing.TB, window time.Duration) []poll.Query {
	t.Helper()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Window = window
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]poll.Query, 0, len(qs))
	for _, q := range qs {
		out = append(out, poll.Query{Name: q.Name, Role: fleet.Role(q.Role), Expr: q.Expr})
	}
	return out
}

// TestSnapshotEqualsPrometheus: for every quantity, what mltop puts in the
// snapshot is what Prometheus's /api/v1/query returns for the same
// expression at the same instant.
func TestSnapshotEqualsPrometheus(t *testing.T) {
	_, prom := startDemoBehindPrometheus(t)
	src, err := prometheus.New(prometheus.Options{URL: prom.URL})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	queries := promQueries(t, 30*time.Second)
	p := poll.New(poll.Options{Metrics: src, Queries: queries, Now: func() time.Time { return at }})
	snap := p.PollOnce(context.Background())
	if !snap.Sources[0].OK {
		t.Fatalf("source: %+v", snap.Sources[0])
	}
	got := func(_ *fleet.Model, v *fleet.Version, role fleet.Role, lbl model.Metric) (float64, bool) {
		val, ok, _ := testenv.VersionValue(v, role, lbl)
		return val, ok
	}
	compared := map[fleet.Role]int{}
	for _, q := range queries {
		if q.Role == fleet.RoleWarmingUp {
			continue // a flag, not a value: internal/conformance checks it on every backend
		}
		if q.Role == fleet.RoleScoreCalibration {
			continue // the estimate's input, not a value shown: TestEstimateThroughPrometheus checks what it gives
		}
		if q.Role == fleet.RoleFeatureMissing || q.Role == fleet.RoleFeatureMissingRef {
			continue // data quality's input, not a value shown: TestDataQualityThroughPrometheus checks what it gives
		}
		if fleet.IsHistogramRole(q.Role) {
			// Inputs of computed drift, not values shown: check that
			// Prometheus answers the folded query with both kinds of rows.
			if q.Role == fleet.RoleFeatureBuckets {
				kinds := map[bool]int{}
				for _, s := range prom.Query(q.Expr, at) {
					kinds[s.Metric["feature"] == fleet.PredictionFeature]++
				}
				if kinds[true] == 0 || kinds[false] == 0 {
					t.Errorf("feature_buckets: %d prediction and %d feature buckets", kinds[true], kinds[false])
				}
				compared[q.Role]++
			}
			continue
		}
		for _, s := range prom.Query(q.Expr, at) {
			want := float64(s.Value)
			m := findModel(snap, string(s.Metric["model"]))
			if m == nil {
				t.Errorf("%s: model %q missing from the snapshot", q.Role, s.Metric["model"])
				continue
			}
			switch q.Role {
			case fleet.RoleRolloutInfo:
				if m.Rollout == nil || m.Rollout.Phase != string(s.Metric["phase"]) || m.Rollout.Strategy != string(s.Metric["strategy"]) {
					t.Errorf("%s rollout = %+v, Prometheus %v", m.Name, m.Rollout, s.Metric)
				}
				compared[q.Role]++
				continue
			case fleet.RoleRolloutStep, fleet.RoleRolloutSteps, fleet.RoleRolloutSetWt:
				var have *float64
				if r := m.Rollout; r != nil {
					switch q.Role {
					case fleet.RoleRolloutStep:
						if r.Step != nil {
							x := float64(*r.Step)
							have = &x
						}
					case fleet.RoleRolloutSteps:
						if r.Steps != nil {
							x := float64(*r.Steps)
							have = &x
						}
					default:
						have = r.SetWeight
					}
				}
				if have == nil || *have != want {
					t.Errorf("%s %s = %v, Prometheus %g", m.Name, q.Role, have, want)
				}
				compared[q.Role]++
				continue
			case fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore:
				if have, ok, _ := testenv.ModelValue(m, q.Role); !ok || have != want {
					t.Errorf("%s %s = %v (known %v), Prometheus %g", m.Name, q.Role, have, ok, want)
				}
				compared[q.Role]++
				continue
			case fleet.RoleAnalysisRun, fleet.RoleAnalysisMetric:
				if !hasAnalysis(m, s.Metric) {
					t.Errorf("%s %s: no %v in the snapshot's analysis %+v", m.Name, q.Role, s.Metric, m.Rollout)
				}
				compared[q.Role]++
				continue
			}
			v := m.Version(string(s.Metric["version"]))
			if v == nil {
				t.Errorf("%s: %s v%s missing", q.Role, m.Name, s.Metric["version"])
				continue
			}
			have, ok := got(m, v, q.Role, s.Metric)
			if math.IsNaN(want) {
				if ok {
					t.Errorf("%s %s v%s: Prometheus NaN, mltop %g (want null)", q.Role, m.Name, v.Version, have)
				}
				continue
			}
			if !ok || have != want {
				t.Errorf("%s %s v%s: mltop %v (known %v), Prometheus %g", q.Role, m.Name, v.Version, have, ok, want)
			}
			compared[q.Role]++
		}
	}
	for _, role := range []fleet.Role{fleet.RoleRequestRate, fleet.RoleErrorRatio, fleet.RoleLatencyP95, fleet.RoleLatencyMean,
		fleet.RolePerformance, fleet.RoleTrafficWeight, fleet.RoleRolloutInfo, fleet.RoleRolloutStep, fleet.RoleLabeledFraction,
		fleet.RoleLabelDelayP50, fleet.RoleLabelAge, fleet.RoleDriftScore, fleet.RoleLabelsInWindow,
		fleet.RoleLatencyBuckets, fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket} {
		if compared[role] == 0 {
			t.Errorf("no %s value compared", role)
		}
	}
	t.Logf("compared: %v", compared)
}

// hasAnalysis reports whether m's rollout holds the run, or the run's
// metric, that the labels l name, in the phase they name.
func hasAnalysis(m *fleet.Model, l model.Metric) bool {
	if m.Rollout == nil {
		return false
	}
	for _, r := range m.Rollout.Analysis {
		if r.Name != string(l["run"]) {
			continue
		}
		if l["metric"] == "" {
			return r.Phase == string(l["phase"])
		}
		for _, x := range r.Metrics {
			if x.Name == string(l["metric"]) && x.Phase == string(l["phase"]) {
				return true
			}
		}
	}
	return false
}

func findModel(s fleet.Snapshot, name string) *fleet.Model {
	for i := range s.Models {
		if s.Models[i].Name == name {
			return &s.Models[i]
		}
	}
	return nil
}

// TestPrometheusDownAndBack: Prometheus is killed mid-run and restarted.
// While it is down, snapshots keep the last values with their age and the
// check verdict is "source failure" (exit 2); the first refresh that reaches
// it after the restart is fresh; nothing leaks.
func TestPrometheusDownAndBack(t *testing.T) {
	// Registered first, so it runs after every other cleanup.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	_, prom := startDemoBehindPrometheus(t)
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = prom.URL
	cfg.Prometheus.Timeout = 2 * time.Second
	cfg.Refresh = time.Second
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Start(ctx)
	defer a.Close()

	first := a.Poller.PollOnce(ctx)
	if r := report.Evaluate(first); r.Code == report.CheckFailed {
		t.Fatalf("healthy Prometheus judged failed: %+v", r.Failures)
	}
	rps := func(s fleet.Snapshot) *float64 { return findModel(s, "search-ranker").Version("21").RequestsPerSecond }
	if rps(first) == nil {
		t.Fatal("no request rate before the outage")
	}

	prom.Stop()
	down := a.Poller.PollOnce(ctx)
	if down.Sources[0].OK || down.Sources[0].Error == "" {
		t.Fatalf("source while down: %+v", down.Sources[0])
	}
	t.Logf("while down: %s", down.Sources[0].Error)
	if r := report.Evaluate(down); r.Code != report.CheckFailed {
		t.Fatalf("check while down = %d, want %d", r.Code, report.CheckFailed)
	}
	if v := rps(down); v == nil || *v != *rps(first) {
		t.Fatalf("last good value lost while down: %v", v)
	}
	if age := down.Queries[0].Age(down.TakenAt); age <= 0 {
		t.Fatalf("stale data has no age: %v", age)
	}

	prom.Restart()
	// The poller backs off after the failure; keep refreshing (as Run does)
	// until it tries again, and require that attempt to be fresh.
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := a.Poller.PollOnce(ctx)
		if !s.Sources[0].NextAttempt.IsZero() && s.TakenAt.Before(s.Sources[0].NextAttempt) && !s.Sources[0].OK {
			if time.Now().After(deadline) {
				t.Fatalf("never retried: %+v", s.Sources[0])
			}
			waitUntil(s.Sources[0].NextAttempt)
			continue
		}
		if !s.Sources[0].OK {
			// Prometheus answers before its first scrape lands; a refresh
			// may see no data yet, but it must not be an error.
			t.Fatalf("first attempt after restart failed: %+v", s.Sources[0])
		}
		if age := s.Queries[0].Age(s.TakenAt); age != 0 {
			t.Fatalf("first refresh after restart not fresh: age %v", age)
		}
		break
	}
}

// waitUntil blocks until t: the poller's backoff is wall-clock time.
func waitUntil(t time.Time) {
	timer := time.NewTimer(time.Until(t) + 10*time.Millisecond)
	defer timer.Stop()
	<-timer.C
}
