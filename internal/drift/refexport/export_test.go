package refexport_test

import (
	"context"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/drift/refexport"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/merge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv/demorig"
	"github.com/mltop/mltop/internal/wiring"
)

// TestExportedReferenceRoundTrip: two minutes of the demo exported as
// churn-predictor v3's profile, written as the tag's JSON, read back as the
// version's reference: the same two minutes judged against it do not drift
// at all, while the offset window (empty here) is not used.
func TestExportedReferenceRoundTrip(t *testing.T) {
	rig := demorig.Start(t, 4)
	for range 24 {
		rig.Step(t)
	}
	cfg := wiring.DemoConfig(rig.Fleet)
	now := rig.Clock.Now()
	p, empty, err := refexport.Export(context.Background(), rig.Engine, cfg, "churn-predictor", "3", now.Add(-2*time.Minute), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"tenure", "monthly_charges", "support_calls", "plan", fleet.PredictionFeature} {
		if _, ok := p.Features[f]; !ok {
			t.Errorf("profile lacks %s: %v (empty %v)", f, p.Features, empty)
		}
	}
	if p.Features["plan"].Numeric() || !p.Features["tenure"].Numeric() {
		t.Errorf("kinds: plan %+v tenure %+v", p.Features["plan"], p.Features["tenure"])
	}
	// The range the buckets saw: the demo's buckets are the reference's
	// deciles, the first and the last (+Inf) hold values, so the range is
	// unbounded both ways and neither end is written. No value missing
	// (the demo counts them, at 0 for churn-predictor).
	if tenure := p.Features["tenure"]; tenure.Min != nil || tenure.Max != nil {
		t.Errorf("tenure range %v %v, want unbounded", tenure.Min, tenure.Max)
	}
	for _, f := range []string{"tenure", "plan"} {
		if s := p.Features[f].MissingShare; s == nil || *s != 0 {
			t.Errorf("%s missing share %v, want 0", f, s)
		}
	}
	tag, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}

	cfg.Drift.Method = "psi"
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	in := histdrift.Input{Profiles: map[histdrift.VersionKey]string{{Model: "churn-predictor", Version: "3"}: string(tag)}}
	for _, q := range qs {
		role := fleet.Role(q.Role)
		cols := merge.TableColumns(role)
		if cols == nil {
			continue
		}
		v, _, err := poll.QueryTable(context.Background(), rig.Engine, q.Expr, now, cols)
		if err != nil {
			t.Fatal(err)
		}
		switch role {
		case fleet.RoleFeatureBuckets:
			in.Buckets = v
		case fleet.RoleFeatureCategories:
			in.Categories = v
		}
	}
	calc := histdrift.New(histdrift.Options{Method: cfg.Drift.Method, Thresholds: cfg.Drift.Thresholds})
	r := calc.Compute(in)[histdrift.VersionKey{Model: "churn-predictor", Version: "3"}]
	if r.Reference != histdrift.SourceRegistry || r.ReferenceError != "" || len(r.Features) != 4 || r.Prediction == nil {
		t.Fatalf("result %+v", r)
	}
	for _, f := range append(r.Features, *r.Prediction) {
		if f.Score > 1e-9 || f.Drifted != nil { // a score only: the judge gives the verdict
			t.Errorf("%s: psi %g against a profile of the same window", f.Feature, f.Score)
		}
	}

	if _, _, err := refexport.Export(context.Background(), rig.Engine, cfg, "churn-predictor", "99", now.Add(-time.Minute), now); err == nil {
		t.Error("export of a version without data succeeded")
	}
	if _, _, err := refexport.Export(context.Background(), rig.Engine, cfg, "churn-predictor", "3", now, now); err == nil {
		t.Error("export of an empty range succeeded")
	}
}
