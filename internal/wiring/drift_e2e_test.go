package wiring

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/embedded"
	"github.com/mltop/mltop/sources/mlflow"
)

// testClock is the engine's and the pollers' time, moved by the test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var storyStart = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// demoRig is the demo fleet, advanced by hand, scraped every scrapeEvery of
// engine time by the built-in engine on a controlled clock.
type demoRig struct {
	fleet *demo.Fleet
	clock *testClock
	eng   *embedded.Engine
	reg   poll.RegistrySource
}

const scrapeEvery = 5 * time.Second

func startDemoRig(t *testing.T, seed int64) *demoRig {
	t.Helper()
	f, err := demo.Start(context.Background(), demo.Options{Seed: seed, Manual: true, Now: func() time.Time { return storyStart }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	clock := &testClock{now: storyStart}
	eng, err := embedded.New(embedded.Options{Targets: f.Targets(), Interval: scrapeEvery, Timeout: scrapeEvery, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mlflow.NewClient(mlflow.Options{TrackingURI: f.RegistryURL(), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return &demoRig{fleet: f, clock: clock, eng: eng, reg: mlflow.NewSource(c, mlflow.SourceOptions{Now: clock.Now})}
}

// step plays scrapeEvery of traffic and scrapes it.
func (r *demoRig) step(t *testing.T) {
	t.Helper()
	r.fleet.Advance(scrapeEvery)
	r.clock.Advance(scrapeEvery)
	if err := r.eng.ScrapeOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// poller polls the rig with the demo's config, drift computed with method,
// and without exported drift scores: only computed drift is judged.
func (r *demoRig) poller(t *testing.T, method string) *poll.Poller {
	t.Helper()
	cfg := DemoConfig(r.fleet)
	cfg.Drift.Method = method
	cfg.Prometheus.Queries = map[string]string{"drift_score": ""}
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return poll.New(poll.Options{
		Metrics: r.eng, Registry: r.reg, Queries: qs, Now: r.clock.Now,
		Refresh: scrapeEvery, RegistryRefresh: time.Minute, Deadline: 10 * time.Second,
		Judge: judge.FromConfig(cfg), Drift: histdrift.New(driftOptions(cfg)),
		Logger: slog.New(slog.DiscardHandler),
	})
}

func versionOf(s fleet.Snapshot, modelName, version string) *fleet.Version {
	for i := range s.Models {
		if s.Models[i].Name == modelName {
			return s.Models[i].Version(version)
		}
	}
	return nil
}

func featureOf(v *fleet.Version, feature, method string) *fleet.FeatureDrift {
	if v == nil || v.Drift == nil {
		return nil
	}
	for i := range v.Drift.Features {
		if f := &v.Drift.Features[i]; f.Feature == feature && f.Method == method {
			return f
		}
	}
	return nil
}

var healthyModels = []string{"search-ranker", "eta-predictor", "demand-forecast"}

// TestDemoDriftEndToEnd: ten minutes of the demo fleet scraped every five
// seconds and polled after every scrape. Drift computed from the feature
// histograms against the versions' registry profiles finds churn-predictor's
// drifting tenure within the drift window, by PSI and by KS, while the
// healthy models show no drifted feature at any poll (PSI, and auto as the
// demo runs it).
func TestDemoDriftEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("ten simulated minutes")
	}
	rig := startDemoRig(t, 21)
	pollers := map[string]*poll.Poller{"psi": rig.poller(t, "psi"), "ks": rig.poller(t, "ks"), "auto": rig.poller(t, "auto")}
	window := DemoConfig(rig.fleet).Drift.Window
	detected := map[string]time.Duration{}
	ctx := context.Background()
	for elapsed := scrapeEvery; elapsed <= 10*time.Minute; elapsed += scrapeEvery {
		rig.step(t)
		for method, p := range pollers {
			snap := p.PollOnce(ctx)
			if method == "ks" {
				// Large samples make KS flag the healthy models' small steady
				// shifts too: only the detection is checked with it.
			} else {
				for _, name := range healthyModels {
					checkNoDrift(t, snap, name, method, elapsed)
				}
			}
			v3 := versionOf(snap, "churn-predictor", "3")
			if v3 == nil || v3.Drift == nil || len(v3.Drift.Features) == 0 {
				continue // the first seconds: too few observations for a verdict
			}
			if v3.Drift.Reference != histdrift.SourceRegistry || v3.Drift.ReferenceError != "" {
				t.Fatalf("%s at %s: churn v3 reference %q, error %q", method, elapsed, v3.Drift.Reference, v3.Drift.ReferenceError)
			}
			want := method
			if method == "auto" {
				want = "wasserstein" // a 20,000-row reference
			}
			if f := featureOf(v3, "tenure", want); f != nil && f.Drifted != nil && *f.Drifted {
				if _, ok := detected[method]; !ok {
					detected[method] = elapsed
				}
			}
		}
	}
	for _, method := range []string{"psi", "ks", "auto"} {
		at, ok := detected[method]
		switch {
		case !ok:
			t.Errorf("%s: tenure drift never detected", method)
		case at > window:
			t.Errorf("%s: tenure drift detected after %s, want within the %s window", method, at, window)
		default:
			t.Logf("%s: tenure drift detected %s after start", method, at)
		}
	}
}

func checkNoDrift(t *testing.T, snap fleet.Snapshot, name, method string, at time.Duration) {
	t.Helper()
	var m *fleet.Model
	for i := range snap.Models {
		if snap.Models[i].Name == name {
			m = &snap.Models[i]
		}
	}
	if m == nil {
		t.Fatalf("%s: no model %s at %s", method, name, at)
	}
	judged := 0
	for _, v := range m.Versions {
		if v.Drift == nil {
			continue
		}
		for _, f := range append(v.Drift.Features, derefOr(v.Drift.Prediction)...) {
			judged++
			if f.Drifted != nil && *f.Drifted {
				t.Errorf("%s at %s: %s v%s %s %s = %.4g drifted (threshold %v)", method, at, name, v.Version, f.Feature, f.Method, f.Score, *f.Threshold)
			}
		}
	}
	if judged == 0 && at > 30*time.Second {
		t.Errorf("%s at %s: nothing judged for %s", method, at, name)
	}
}

func derefOr(p *fleet.FeatureDrift) []fleet.FeatureDrift {
	if p == nil {
		return nil
	}
	return []fleet.FeatureDrift{*p}
}
