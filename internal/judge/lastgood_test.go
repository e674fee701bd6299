package judge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func servedFor(version string, from time.Time, d time.Duration, errRatio float64, q map[string]float64) fleet.ServedInterval {
	return fleet.ServedInterval{Version: version, From: from, To: from.Add(d), Share: 1, ErrorRatio: &errRatio, Quality: q}
}

func TestRecordOfWeighsIntervalsByLength(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// 6 days at 0.2 %, then 3 days at 0.5 %: 0.3 % over 9 days.
	r := RecordOf("7", []fleet.ServedInterval{
		servedFor("7", t0, 6*24*time.Hour, 0.002, map[string]float64{"auc": 0.86}),
		servedFor("7", t0.Add(8*24*time.Hour), 3*24*time.Hour, 0.005, map[string]float64{"auc": 0.92}),
	})
	if r.Served != 9*24*time.Hour || r.ErrorRatio == nil || math.Abs(*r.ErrorRatio-0.003) > 1e-12 {
		t.Fatalf("record = %+v, want 9 days at 0.3%%", r)
	}
	if r.Metric != "auc" || r.Quality == nil || math.Abs(*r.Quality-0.88) > 1e-12 {
		t.Fatalf("quality = %s %v, want auc 0.88", r.Metric, r.Quality)
	}
	if got, want := r.Text(), "v7 — served 9 days, err 0.3%, auc .88"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
}

func TestKnownGood(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	th := fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}
	base := map[string]float64{"auc": 0.90}
	for _, tc := range []struct {
		name string
		iv   fleet.ServedInterval
		ok   bool
		why  string
	}{
		{"good", servedFor("7", t0, 48*time.Hour, 0.003, map[string]float64{"auc": 0.88}), true, ""},
		{"too short", servedFor("7", t0, 20*time.Hour, 0.003, nil), false, "less than a day"},
		// Half of 5 % is the line: 2.5 % is not under it.
		{"errors at half the threshold", servedFor("7", t0, 48*time.Hour, 0.025, nil), false, "2.5% is not under 2.5%"},
		{"quality below baseline", servedFor("7", t0, 48*time.Hour, 0.001, map[string]float64{"auc": 0.85}), false, "auc .85 is below its baseline .90"},
		{"quality unmeasured", servedFor("7", t0, 48*time.Hour, 0.001, nil), true, ""},
		{"error ratio unknown", fleet.ServedInterval{Version: "7", From: t0, To: t0.Add(48 * time.Hour)}, false, "unknown"},
	} {
		ok, why := KnownGood(RecordOf("7", []fleet.ServedInterval{tc.iv}), base, th)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %v %q, want %v %q", tc.name, ok, why, tc.ok, tc.why)
		}
	}
}
