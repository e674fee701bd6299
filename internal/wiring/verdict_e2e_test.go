package wiring

import (
	"context"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/testenv/demorig"
)

// TestDemoVerdicts: the demo's built-in engine answers verdict_counts and
// verdict_latency, so its candidates get verdicts with known rows: the
// credit-risk canary (errors and latency close to stable) passes, the
// search-ranker shadow (five times the errors, 20 % slower) fails on both.
func TestDemoVerdicts(t *testing.T) {
	rig := demorig.Start(t, 21)
	p := rigPoller(t, rig, "auto")
	jc := judge.FromConfig(DemoConfig(rig.Fleet))
	ctx := context.Background()
	var snap fleet.Snapshot
	for elapsed := demorig.ScrapeEvery; elapsed <= 4*time.Minute; elapsed += demorig.ScrapeEvery {
		rig.Step(t)
		snap = p.PollOnce(ctx)
	}
	want := map[string]struct {
		candidate, baseline string
		outcome             fleet.VerdictOutcome
		errorRate, latency  string
	}{
		"credit-risk":   {"12", "11", fleet.VerdictPass, judge.ComparisonSame, judge.ComparisonSame},
		"search-ranker": {"22", "21", fleet.VerdictFail, judge.ComparisonWorse, judge.ComparisonWorse},
	}
	for name, w := range want {
		v := jc.SnapshotVerdict(&snap, name, "")
		if v.Candidate != w.candidate || v.Baseline != w.baseline || v.Outcome != w.outcome {
			t.Errorf("%s: v%s vs v%s %s (%s); want v%s vs v%s %s", name, v.Candidate, v.Baseline, v.Outcome, v.Why, w.candidate, w.baseline, w.outcome)
			continue
		}
		got := map[string]string{}
		for _, r := range v.Rows {
			got[r.Quantity] = r.Comparison
			if r.Quantity == judge.QuantityErrorRate && (r.CandidateSamples < judge.MinVerdictRequests || r.BaselineSamples < judge.MinVerdictRequests) {
				t.Errorf("%s: error rate on %g and %g requests", name, r.CandidateSamples, r.BaselineSamples)
			}
		}
		if got[judge.QuantityErrorRate] != w.errorRate || got[judge.QuantityLatency] != w.latency {
			t.Errorf("%s: error rate %q, latency %q; want %q, %q (%s)", name, got[judge.QuantityErrorRate], got[judge.QuantityLatency], w.errorRate, w.latency, v.Why)
		}
	}
}
