package wiring

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv/demorig"
)

// rigPoller polls the rig with the demo's config, drift computed with
// method, and without exported drift scores: only computed drift is judged.
func rigPoller(t *testing.T, r *demorig.Rig, method string) *poll.Poller {
	t.Helper()
	return poll.New(rigOptions(t, r, method))
}

// rigOptions are the options of rigPoller.
func rigOptions(t *testing.T, r *demorig.Rig, method string) poll.Options {
	t.Helper()
	cfg := DemoConfig(r.Fleet)
	cfg.Drift.Method = method
	cfg.Prometheus.Queries = map[string]string{"drift_score": ""}
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return poll.Options{
		Metrics: r.Engine, Registry: r.Registry, Queries: qs, Now: r.Clock.Now,
		Refresh: demorig.ScrapeEvery, RegistryRefresh: time.Minute, Deadline: 10 * time.Second,
		Judge: judge.FromConfig(cfg), Drift: histdrift.New(driftOptions(cfg)),
		Logger: slog.New(slog.DiscardHandler),
	}
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
	rig := demorig.Start(t, 21)
	pollers := map[string]*poll.Poller{"psi": rigPoller(t, rig, "psi"), "ks": rigPoller(t, rig, "ks"), "auto": rigPoller(t, rig, "auto")}
	window := DemoConfig(rig.Fleet).Drift.Window
	detected := map[string]time.Duration{}
	ctx := context.Background()
	for elapsed := demorig.ScrapeEvery; elapsed <= 10*time.Minute; elapsed += demorig.ScrapeEvery {
		rig.Step(t)
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
