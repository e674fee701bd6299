package actions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// fakeServed is a ServedHistory with fixed answers.
type fakeServed struct {
	ivs map[string][]fleet.ServedInterval
	err error
}

func (f fakeServed) Served(_ context.Context, model string, _, _ time.Time) (map[string][]fleet.ServedInterval, error) {
	if f.ivs == nil {
		return nil, f.err
	}
	return map[string][]fleet.ServedInterval{model: f.ivs[model]}, f.err
}

func lkgInterval(v string, from time.Time, days float64, errRatio float64, auc float64) fleet.ServedInterval {
	iv := fleet.ServedInterval{Version: v, From: from, To: from.Add(time.Duration(days * float64(24*time.Hour))), Share: 1,
		ErrorRatio: &errRatio, LastDayErrorRatio: &errRatio}
	if auc > 0 {
		iv.Quality = map[string]float64{"auc": auc}
	}
	return iv
}

func TestRollbackDefaultIsTheLastKnownGood(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	// The registry serves 8 (champion); 7 and 6 are older. 7 served 9
	// days but with 3 % errors (over half of 5 %); 6 served 10 days at
	// 0.3 % with auc .88 against a baseline of .90: the last known good.
	// The registry rule would pick 7.
	served := fakeServed{ivs: map[string][]fleet.ServedInterval{"payments-fraud": {
		lkgInterval("6", day(-29), 10, 0.003, 0.88),
		lkgInterval("7", day(-19), 9, 0.03, 0.90),
		lkgInterval("8", day(-10), 10, 0.002, 0.91),
	}}}
	snap := &fleet.Model{Name: "payments-fraud", Versions: []fleet.Version{
		{Version: "8", Track: fleet.TrackStable}, {Version: "6", Baseline: map[string]float64{"auc": 0.90}},
	}}
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client, func(o *Options) {
		o.Served, o.Now = served, func() time.Time { return now }
	})
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Snapshot: snap, Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != "6" || p.DefaultFrom != DefaultLastKnownGood {
		t.Fatalf("default %q from %q, want 6 as the last known good", p.To, p.DefaultFrom)
	}
	if want := "v6 — served 10 days, err 0.3%, auc .88: last known good"; p.DefaultWhy != want {
		t.Errorf("why = %q, want %q", p.DefaultWhy, want)
	}

	// v6's quality below its baseline too: no last known good, so the
	// registry's rule, and the plan says why.
	snap.Versions[1].Baseline = map[string]float64{"auc": 0.95}
	p, err = f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Snapshot: snap, Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != "7" || p.DefaultFrom != "registry history" {
		t.Errorf("default %q from %q, want 7 from the registry history", p.To, p.DefaultFrom)
	}
	for _, want := range []string{"no last known good", "v7's error ratio 3.0% over Mar 12–Mar 21 is not under 2.5%", "v7 served before v8 (registry history)"} {
		if !strings.Contains(p.DefaultWhy, want) {
			t.Errorf("why = %q, want it to say %q", p.DefaultWhy, want)
		}
	}
}

func TestRollbackWithoutServingHistoryFallsBackAndSaysWhy(t *testing.T) {
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client, func(o *Options) {
		o.Served = fakeServed{err: errors.New("query request_rate: connection refused")}
	})
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != "7" || p.DefaultFrom != "registry history" {
		t.Errorf("default %q from %q, want today's rule: 7 from the registry history", p.To, p.DefaultFrom)
	}
	if !strings.Contains(p.DefaultWhy, "serving history unavailable (query request_rate: connection refused)") {
		t.Errorf("why = %q, want the history's failure", p.DefaultWhy)
	}
}

// A version no longer serving is not in the snapshot: its baseline comes
// from the registry read, and a quality below it keeps it from being the
// last known good.
func TestLastKnownGoodTakesTheRegistrysBaseline(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	served := fakeServed{ivs: map[string][]fleet.ServedInterval{"payments-fraud": {
		lkgInterval("6", day(-29), 10, 0.003, 0.88),
		lkgInterval("7", day(-19), 9, 0.002, 0.80),
		lkgInterval("8", day(-10), 10, 0.002, 0.91),
	}}}
	asked := map[string]bool{}
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client, func(o *Options) {
		o.Served, o.Now = served, func() time.Time { return now }
		o.Baselines = func(model, version string) map[string]float64 {
			asked[model+" "+version] = true
			return map[string]float64{"auc": 0.90}
		}
	})
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	// v7's auc .80 is .10 under its .90: v6 (.88) is the last known good.
	if p.To != "6" || !asked["payments-fraud 7"] || !strings.HasPrefix(p.DefaultWhy, "v6 — served 10 days, err 0.3%, auc .88") {
		t.Errorf("default v%s (%q), baselines asked %v; want v6 by v7's registry baseline", p.To, p.DefaultWhy, asked)
	}
}

// When the quality query failed, Served brings the intervals with the
// error: a version with a baseline is then not known good (its quality
// may have been below it), and the plan says why, with the error.
func TestLastKnownGoodNotPickedWhenTheQualityReadFailed(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	served := fakeServed{ivs: map[string][]fleet.ServedInterval{"payments-fraud": {
		lkgInterval("6", day(-29), 10, 0.003, 0),
		lkgInterval("8", day(-10), 10, 0.002, 0),
	}}, err: errors.New("query quality: connection refused")}
	snap := &fleet.Model{Name: "payments-fraud", Versions: []fleet.Version{
		{Version: "8", Track: fleet.TrackStable}, {Version: "6", Baseline: map[string]float64{"auc": 0.90}},
	}}
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client, func(o *Options) {
		o.Served, o.Now = served, func() time.Time { return now }
	})
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Snapshot: snap, Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultFrom == DefaultLastKnownGood {
		t.Fatalf("default v%s as the last known good (%q) though its quality could not be read", p.To, p.DefaultWhy)
	}
	for _, want := range []string{"no last known good", "quality is unknown (query quality: connection refused)"} {
		if !strings.Contains(p.DefaultWhy, want) {
			t.Errorf("why = %q, want it to say %q", p.DefaultWhy, want)
		}
	}
}
