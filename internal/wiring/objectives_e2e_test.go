package wiring

import (
	"context"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv/demorig"
)

// TestDemoServiceLevelChecks: on the demo's objectives, the incident's
// payments-fraud v8 is past the latency objective and burns its error
// budget; image-tagger, which has no latency histogram, cannot be judged
// on latency and burns its budget too; every other model meets both, and
// none is silent.
func TestDemoServiceLevelChecks(t *testing.T) {
	rig := demorig.Start(t, 5)
	p := rigPoller(t, rig, "auto")
	ctx := context.Background()
	var snap fleet.Snapshot
	for elapsed := demorig.ScrapeEvery; elapsed <= 6*time.Minute; elapsed += demorig.ScrapeEvery {
		rig.Step(t)
		snap = p.PollOnce(ctx)
	}
	got := map[string]fleet.Status{} // "model version check" -> status
	for _, m := range snap.Models {
		for _, f := range m.Health.Findings {
			switch f.Check {
			case fleet.CheckLatency, fleet.CheckBurnRate, fleet.CheckSilent:
				got[m.Name+" "+f.Version+" "+f.Check] = f.Status
				t.Logf("%s: %s", m.Name, f.Message)
			}
		}
	}
	want := map[string]fleet.Status{
		"payments-fraud 8 latency":   fleet.StatusWarn,
		"payments-fraud 8 burn_rate": fleet.StatusWarn,
		"image-tagger 2 latency":     fleet.StatusUnknown,
		"image-tagger 2 burn_rate":   fleet.StatusCritical,
	}
	for k, st := range want {
		if got[k] != st {
			t.Errorf("%s: %v, want %v", k, got[k], st)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected finding %s", k)
		}
	}
}
