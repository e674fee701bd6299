package servinghistory

import (
	"math"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

const hour = time.Hour

// at is step i of an hourly grid.
func at(i int) time.Time { return t0.Add(time.Duration(i) * hour) }

// rate is a version's rate over steps [from, to).
func rate(from, to int, v float64) []sample {
	var out []sample
	for i := from; i < to; i++ {
		out = append(out, sample{at(i), v})
	}
	return out
}

// span is the first and last steps with traffic of an interval, which
// begins a step before its first (that step's rate is over the hour before
// it).
func span(iv fleet.ServedInterval) [2]time.Time { return [2]time.Time{iv.From.Add(hour), iv.To} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestIntervalsJoinShortGapsAndSplitLongOnes(t *testing.T) {
	// Steps 0-4, a one-step gap (5), 6-9, a two-step gap (10, 11), 12-13,
	// a three-step gap (14-16), 17-19.
	var steps []sample
	for _, r := range [][2]int{{0, 5}, {6, 10}, {12, 14}, {17, 20}} {
		steps = append(steps, rate(r[0], r[1], 1)...)
	}
	got := intervals("7", steps, hour)
	if len(got) > 0 && !got[0].From.Equal(at(-1)) {
		t.Errorf("the first interval begins %v, want %v: its first rate is over the hour before step 0", got[0].From, at(-1))
	}
	want := [][2]time.Time{{at(0), at(13)}, {at(17), at(19)}}
	if len(got) != len(want) {
		t.Fatalf("got %d intervals %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if span(got[i]) != want[i] || got[i].Version != "7" {
			t.Errorf("interval %d: %s %v, want 7 %v", i, got[i].Version, span(got[i]), want[i])
		}
	}
}

func TestSharesAndMeansOfACanary(t *testing.T) {
	// v7 alone at 90 rps for steps 0-9; v8 takes 10 rps beside it for
	// steps 10-19 (a 10 % canary), then all 100 rps from 20 to 29.
	ms := modelSeries{
		rates: map[string][]sample{
			"7": append(rate(0, 10, 90), rate(10, 20, 90)...),
			"8": append(rate(10, 20, 10), rate(20, 30, 100)...),
		},
		errors: map[string][]sample{
			"7": rate(0, 20, 0.01),
			// 4 % in the canary, 2 % after: the mean over 20 steps is 3 %.
			"8": append(rate(10, 20, 0.04), rate(20, 30, 0.02)...),
		},
		quality: map[string]map[string][]sample{
			"8": {"auc": append(rate(10, 20, 0.80), rate(20, 30, 0.90)...), "accuracy": rate(10, 30, 0.7)},
		},
	}
	got := ms.served(hour)
	if len(got) != 2 {
		t.Fatalf("got %v, want one interval each for v7 and v8", got)
	}
	v7, v8 := got[0], got[1]
	if v7.Version != "7" || span(v7) != [2]time.Time{at(0), at(19)} {
		t.Errorf("v7 = %s %v, want steps 0-19", v7.Version, span(v7))
	}
	// Ten steps at 100 %, ten at 90 %.
	if !near(v7.Share, 0.95) {
		t.Errorf("v7 share = %v, want 0.95", v7.Share)
	}
	if v7.ErrorRatio == nil || !near(*v7.ErrorRatio, 0.01) || v7.Quality != nil {
		t.Errorf("v7 error %v quality %v, want 0.01 and none", v7.ErrorRatio, v7.Quality)
	}
	if v8.Version != "8" || span(v8) != [2]time.Time{at(10), at(29)} {
		t.Errorf("v8 = %s %v, want steps 10-29", v8.Version, span(v8))
	}
	// Ten steps at 10 %, ten at 100 %.
	if !near(v8.Share, 0.55) {
		t.Errorf("v8 share = %v, want 0.55", v8.Share)
	}
	if v8.ErrorRatio == nil || !near(*v8.ErrorRatio, 0.03) {
		t.Errorf("v8 error = %v, want 0.03", v8.ErrorRatio)
	}
	// AUC is the headline over accuracy; its mean is 0.85.
	if len(v8.Quality) != 1 || !near(v8.Quality["auc"], 0.85) {
		t.Errorf("v8 quality = %v, want auc 0.85 only", v8.Quality)
	}
}

func TestAVersionThatReturnsHasTwoIntervalsWithTheirOwnMeans(t *testing.T) {
	// v7 serves 0-9, v8 10-14 (a bad deploy), v7 again from 15 (rollback).
	ms := modelSeries{
		rates: map[string][]sample{
			"7": append(rate(0, 10, 50), rate(15, 25, 50)...),
			"8": rate(10, 15, 50),
		},
		errors: map[string][]sample{
			"7": append(rate(0, 10, 0.002), rate(15, 25, 0.004)...),
			"8": rate(10, 15, 0.2),
		},
	}
	got := ms.served(hour)
	want := []struct {
		version string
		span    [2]time.Time
		err     float64
	}{
		{"7", [2]time.Time{at(0), at(9)}, 0.002},
		{"8", [2]time.Time{at(10), at(14)}, 0.2},
		{"7", [2]time.Time{at(15), at(24)}, 0.004},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %d intervals", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Version != w.version || span(g) != w.span || !near(g.Share, 1) || g.ErrorRatio == nil || !near(*g.ErrorRatio, w.err) {
			t.Errorf("interval %d = v%s %v share %v err %v; want v%s %v share 1 err %v", i, g.Version, span(g), g.Share, g.ErrorRatio, w.version, w.span, w.err)
		}
	}
}

func TestOverlapsKeepEachVersionsShare(t *testing.T) {
	// Blue/green-like overlap: v1 0-9 at 30 rps, v2 5-14 at 10 rps; from 10
	// v2 alone. In the overlap v1 has 75 % and v2 25 %.
	ms := modelSeries{rates: map[string][]sample{
		"1": rate(0, 10, 30),
		"2": rate(5, 15, 10),
	}}
	got := ms.served(hour)
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	// v1: five steps at 100 %, five at 75 %.
	if !near(got[0].Share, 0.875) || span(got[0]) != [2]time.Time{at(0), at(9)} {
		t.Errorf("v1 = %v share %v, want steps 0-9 share 0.875", span(got[0]), got[0].Share)
	}
	// v2: five steps at 25 %, five at 100 %.
	if !near(got[1].Share, 0.625) || span(got[1]) != [2]time.Time{at(5), at(14)} {
		t.Errorf("v2 = %v share %v, want steps 5-14 share 0.625", span(got[1]), got[1].Share)
	}
	if got[0].ErrorRatio != nil || got[1].ErrorRatio != nil {
		t.Error("no error series, yet an error ratio was filled")
	}
}

func TestZeroRatesAndOneVersionOverSeveralSeries(t *testing.T) {
	// v3 reports 0 rps for steps 0-9 (idle: not serving) and 5 rps from
	// 10; v4 comes as two series (two pods) of 5 rps each, steps 0-19.
	ms := modelSeries{rates: map[string][]sample{
		"3": append(rate(0, 10, 0), rate(10, 20, 5)...),
		"4": append(rate(0, 20, 5), rate(0, 20, 5)...),
	}}
	got := ms.served(hour)
	if len(got) != 2 || got[0].Version != "4" || got[1].Version != "3" {
		t.Fatalf("got %v, want v4 then v3", got)
	}
	if span(got[1]) != [2]time.Time{at(10), at(19)} {
		t.Errorf("v3 = %v, want from step 10: zero traffic is not serving", span(got[1]))
	}
	// v4 has 10 of 10 rps, then 10 of 15: mean of 1 and 2/3.
	if !near(got[0].Share, (1+2.0/3)/2) {
		t.Errorf("v4 share = %v, want %v", got[0].Share, (1+2.0/3)/2)
	}
}

func TestWidenStretchesShortWindowsOnly(t *testing.T) {
	got, err := widen(`sum by (model, version) (rate(a[1m])) / sum by (model, version) (rate(b[2h]))`, hour)
	if err != nil {
		t.Fatal(err)
	}
	want := `sum by (model, version) (rate(a[1h])) / sum by (model, version) (rate(b[2h]))`
	if got != want {
		t.Errorf("widen = %s, want %s", got, want)
	}
	if got, _ := widen(`max by (model, version, metric) (model_performance)`, hour); got != `max by (model, version, metric) (model_performance)` {
		t.Errorf("a query without ranges changed: %s", got)
	}
}

// A version that served 19 days at 0.1 % errors and then 20 hours at 30 %:
// the interval's mean hides the end; its last day's mean shows it.
func TestTheLastDaysErrorRatioShowsABreakAtTheEnd(t *testing.T) {
	good, bad := 19*24, 19*24+20
	ms := modelSeries{
		rates:  map[string][]sample{"6": rate(0, bad, 100)},
		errors: map[string][]sample{"6": append(rate(0, good, 0.001), rate(good, bad, 0.3)...)},
	}
	got := ms.served(hour)
	if len(got) != 1 || got[0].ErrorRatio == nil || got[0].LastDayErrorRatio == nil {
		t.Fatalf("got %+v, want one interval with both error ratios", got)
	}
	// The last day is the 24 steps ending at the last: 4 good, 20 bad.
	if want := (4*0.001 + 20*0.3) / 24; !near(*got[0].LastDayErrorRatio, want) {
		t.Errorf("last day's error ratio = %v, want %v", *got[0].LastDayErrorRatio, want)
	}
	if *got[0].ErrorRatio > 0.025 {
		t.Errorf("the interval's mean %v is not what hides the break", *got[0].ErrorRatio)
	}
	// An interval shorter than a day: its last day is all of it.
	ms = modelSeries{rates: map[string][]sample{"7": rate(0, 5, 1)}, errors: map[string][]sample{"7": rate(0, 5, 0.01)}}
	if got := ms.served(hour); len(got) != 1 || got[0].LastDayErrorRatio == nil || !near(*got[0].LastDayErrorRatio, 0.01) {
		t.Errorf("short interval: %+v, want its last day's error ratio 0.01", got)
	}
}
