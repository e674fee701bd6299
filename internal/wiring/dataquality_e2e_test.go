package wiring

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv/demorig"
)

// TestDemoPipelineIncidentIsDataQuality: ten minutes of the demo fleet,
// polled after every scrape as the demo runs (drift method auto). From
// minute 3 to 6 eta-predictor's traffic feed fails for 30 % of requests:
// traffic_index goes missing, past the 1 % floor, and the finding says
// so, while traffic_index's drift stays below its threshold and no drift
// finding is raised at any poll. Once the 2-minute window has passed the
// outage, the finding clears.
func TestDemoPipelineIncidentIsDataQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("ten simulated minutes")
	}
	rig := demorig.Start(t, 21)
	p := rigPoller(t, rig, "auto")
	ctx := context.Background()
	var peak float64
	var flaggedFrom, flaggedTo time.Duration
	for elapsed := demorig.ScrapeEvery; elapsed <= 10*time.Minute; elapsed += demorig.ScrapeEvery {
		rig.Step(t)
		snap := p.PollOnce(ctx)
		checkNoDrift(t, snap, "eta-predictor", "auto", elapsed)
		// Nothing else in the fleet has a data-quality problem: drift
		// (churn-predictor's tenure) is not one.
		for _, m := range snap.Models {
			for _, fd := range m.Health.Findings {
				if fd.Check == fleet.CheckDataQuality && m.Name != "eta-predictor" {
					t.Errorf("at %s: %s: %q", elapsed, m.Name, fd.Message)
				}
			}
		}
		v := versionOf(snap, "eta-predictor", "9")
		if v == nil || v.DataQuality == nil {
			continue
		}
		f := v.DataQuality.Feature("traffic_index")
		if f == nil || f.MissingShare == nil {
			continue
		}
		peak = max(peak, *f.MissingShare)
		var dq, driftFinding bool
		for _, fd := range v.Health.Findings {
			switch {
			case fd.Check == fleet.CheckDataQuality && strings.HasPrefix(fd.Message, "traffic_index ") && strings.HasSuffix(fd.Message, " missing"):
				dq = true
			case fd.Check == fleet.CheckDataQuality:
				t.Errorf("at %s: unexpected data-quality finding %q", elapsed, fd.Message)
			case fd.Check == fleet.CheckDrift:
				driftFinding = true
			}
		}
		if driftFinding {
			t.Errorf("at %s: a drift finding during a pipeline incident: %+v", elapsed, v.Health.Findings)
		}
		switch {
		case dq && flaggedFrom == 0:
			flaggedFrom = elapsed
			t.Logf("at %s: %s", elapsed, v.Health.Findings[0].Message)
		case dq:
			flaggedTo = elapsed
		}
		if elapsed < 3*time.Minute && dq {
			t.Errorf("at %s: missing values flagged before the outage (share %g)", elapsed, *f.MissingShare)
		}
		if elapsed >= 8*time.Minute+30*time.Second && dq {
			t.Errorf("at %s: still flagged after the window left the outage (share %g)", elapsed, *f.MissingShare)
		}
	}
	if flaggedFrom == 0 {
		t.Fatal("the outage was never flagged")
	}
	// The window lies wholly in the outage from 5:00 to 6:00: 30 %.
	if peak < 0.27 || peak > 0.33 {
		t.Errorf("peak missing share %.3f, want about 0.30", peak)
	}
	t.Logf("flagged from %s to %s, peak %.1f %% missing", flaggedFrom, flaggedTo, peak*100)
}
