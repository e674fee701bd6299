package judge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func servedFor(version string, from time.Time, d time.Duration, errRatio float64, q map[string]float64) fleet.ServedInterval {
	return fleet.ServedInterval{Version: version, From: from, To: from.Add(d), Share: 1, ErrorRatio: &errRatio, LastDayErrorRatio: &errRatio, Quality: q}
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
		{"errors at half the threshold", servedFor("7", t0, 48*time.Hour, 0.025, nil), false, "2.5% over Mar 01–Mar 03 is not under 2.5%"},
		{"quality below baseline", servedFor("7", t0, 48*time.Hour, 0.001, map[string]float64{"auc": 0.85}), false, "auc .85 is below its baseline .90"},
		{"quality unmeasured", servedFor("7", t0, 48*time.Hour, 0.001, nil), true, ""},
		{"error ratio unknown", fleet.ServedInterval{Version: "7", From: t0, To: t0.Add(48 * time.Hour), Share: 1}, false, "unknown"},
	} {
		ok, why := KnownGood(RecordOf("7", []fleet.ServedInterval{tc.iv}), base, th)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %v %q, want %v %q", tc.name, ok, why, tc.ok, tc.why)
		}
	}
}

// v6 served 19 days at 0.1 % errors, then 20 hours at 30 %: the mean over
// its run is 1.4 %, under the line; its last day is not, so it is not a
// last known good.
func TestABreakAtTheEndOfARunIsNotKnownGood(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	th := fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}
	good, bad := 19*24.0, 20.0
	mean := (good*0.001 + bad*0.3) / (good + bad)
	lastDay := (4*0.001 + 20*0.3) / 24
	iv := fleet.ServedInterval{Version: "6", From: t0, To: t0.Add(time.Duration(good+bad) * time.Hour), Share: 1,
		ErrorRatio: &mean, LastDayErrorRatio: &lastDay}
	ok, why := KnownGood(RecordOf("6", []fleet.ServedInterval{iv}), nil, th)
	if ok || !strings.Contains(why, "25.0% over its last day of serving is not under 2.5%") {
		t.Errorf("known good %v (%q), want not: its last day's error ratio is 25%%", ok, why)
	}
}

// Every interval counts: a bad one is not averaged away by a long good
// one, and one without an error ratio leaves the record unknown.
func TestEveryIntervalIsUnderTheLine(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	th := fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}
	day := 24 * time.Hour
	long := servedFor("6", t0, 15*day, 0.001, nil)
	spike := servedFor("6", t0.Add(16*day), 12*time.Hour, 0.2, nil)
	back := servedFor("6", t0.Add(17*day), 2*day, 0.001, nil)
	ok, why := KnownGood(RecordOf("6", []fleet.ServedInterval{long, spike, back}), nil, th)
	if ok || !strings.Contains(why, "20.0% over Mar 17–Mar 17 is not under 2.5%") {
		t.Errorf("with a bad interval: %v (%q), want not known good, naming it", ok, why)
	}
	blind := fleet.ServedInterval{Version: "6", From: t0.Add(16 * day), To: t0.Add(16*day + 12*time.Hour), Share: 1}
	ok, why = KnownGood(RecordOf("6", []fleet.ServedInterval{long, blind, back}), nil, th)
	if ok || !strings.Contains(why, "unknown") {
		t.Errorf("with an interval of unknown errors: %v (%q), want not known good", ok, why)
	}
}

// A trickle is not time served: 3 days at 1 % of the traffic and 20 hours
// at all of it is less than a day.
func TestATrickleIsNotTimeServed(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	th := fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}
	trickle := servedFor("6", t0, 72*time.Hour, 0.001, nil)
	trickle.Share = 0.01
	full := servedFor("6", t0.Add(72*time.Hour), 20*time.Hour, 0.001, nil)
	r := RecordOf("6", []fleet.ServedInterval{trickle, full})
	if r.Served != 20*time.Hour {
		t.Errorf("served %v, want 20h: the trickle does not count", r.Served)
	}
	if ok, why := KnownGood(r, nil, th); ok || !strings.Contains(why, "less than a day") {
		t.Errorf("known good %v (%q), want less than a day", ok, why)
	}
}
