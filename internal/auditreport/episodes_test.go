package auditreport

import (
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

func TestStepFor(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		span, min, want time.Duration
	}{
		{90 * 24 * time.Hour, 15 * time.Second, 13 * time.Minute}, // 777.6 s → 13 min: 9,970 points
		{24 * time.Hour, 15 * time.Second, 15 * time.Second},      // 8.64 s → the minimum
		{7 * 24 * time.Hour, 15 * time.Second, 2 * time.Minute},   // 60.48 s → whole minutes
		{time.Hour, 0, time.Second},
	} {
		got := StepFor(t0, t0.Add(c.span), c.min)
		if got != c.want {
			t.Errorf("StepFor(%s, min %s) = %s, want %s", c.span, c.min, got, c.want)
		}
		if pts := int(c.span/got) + 1; pts > 11_000 {
			t.Errorf("StepFor(%s) gives %d points", c.span, pts)
		}
	}
}

func TestEpisodesOf(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	step := time.Minute
	vals := []float64{0.01, 0.06, 0.09, 0.07, 0.02, 0.08, -1, 0.07, 0.06}
	var pts []model.SamplePair
	for i, v := range vals {
		if v < 0 {
			continue // a missing sample: the series was not there
		}
		pts = append(pts, model.SamplePair{Timestamp: model.TimeFromUnixNano(t0.Add(time.Duration(i) * step).UnixNano()), Value: model.SampleValue(v)})
	}
	over := func(v float64) (bool, float64) { return v >= 0.05, v }
	end := t0.Add(8 * step)
	got := episodesOf(pts, step, end, over)
	want := []struct {
		from, to int
		peak     float64
		ongoing  bool
	}{{1, 3, 0.09, false}, {5, 5, 0.08, false}, {7, 8, 0.07, true}}
	if len(got) != len(want) {
		t.Fatalf("episodes %+v, want %d", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.From.Equal(t0.Add(time.Duration(w.from)*step)) || !g.To.Equal(t0.Add(time.Duration(w.to)*step)) || *g.Peak != w.peak || g.Ongoing != w.ongoing {
			t.Errorf("episode %d = %s..%s peak %v ongoing %v; want minutes %d..%d peak %v ongoing %v",
				i, g.From.Format("15:04"), g.To.Format("15:04"), *g.Peak, g.Ongoing, w.from, w.to, w.peak, w.ongoing)
		}
	}
}
