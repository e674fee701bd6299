package embedded

import (
	"fmt"
	"testing"
	"time"
)

const step = 15 * time.Second

// scrapeSeries serves values[i] (an exposition) at t0+i*step and scrapes it.
func scrapeSeries(t *testing.T, bodies []string) (*Engine, *exporter) {
	t.Helper()
	c := newClock()
	x := newExporter(t, "")
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	for i, body := range bodies {
		x.Set(body)
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Fatalf("scrape %d: %v", i, err)
		}
	}
	return e, x
}

func counterBody(name string, v float64) string {
	return fmt.Sprintf("# TYPE %s counter\n%s %g\n", name, name, v)
}

func TestRateOfLinearCounter(t *testing.T) {
	// 21 scrapes, t = 0..300 s every 15 s, counter = 1000 + 10/s * t.
	var bodies []string
	for i := 0; i <= 20; i++ {
		bodies = append(bodies, counterBody("c_total", 1000+10*float64(i)*step.Seconds()))
	}
	e, x := scrapeSeries(t, bodies)

	// At t=300 s the window (240 s, 300 s] holds the samples at 255, 270, 285
	// and 300 s: an increase of 450 over 45 s. The first sample is 15 s after
	// the window start, under 1.1 x the 15 s average spacing, so Prometheus
	// extrapolates to the boundary: 450 * 60/45 = 600 over 60 s = 10/s. The
	// counter's zero point (1000+2550 / 10 = 355 s back) is further than the
	// boundary, so it does not shorten the extrapolation. 60/45 is not exact
	// in binary floating point, hence the tolerance.
	v := query(t, e, "rate(c_total[1m])", 300*time.Second)
	if len(v) != 1 {
		t.Fatalf("want 1 series, got %v", v)
	}
	assertClose(t, "rate at 300s", float64(v[0].Value), 10)
	if got := string(v[0].Metric["instance"]); got != x.Instance() {
		t.Errorf("instance = %q, want %q", got, x.Instance())
	}
	if got := string(v[0].Metric["job"]); got != DefaultJob {
		t.Errorf("job = %q, want %q", got, DefaultJob)
	}

	// Between scrapes, at 292.5 s: samples 240..285 s, 7.5 s from each end,
	// both within the threshold: the same 600 over 60 s.
	assertClose(t, "rate at 292.5s", queryOne(t, e, "rate(c_total[1m])", 292500*time.Millisecond), 10)

	// Over 5m the window (0, 300] holds 20 samples spanning 285 s, 15 s from
	// the start: 2850 * 300/285 / 300 = 10.
	assertClose(t, "rate over 5m", queryOne(t, e, "rate(c_total[5m])", 300*time.Second), 10)
}

func TestCounterReset(t *testing.T) {
	e, _ := scrapeSeries(t, []string{
		counterBody("r_total", 100), counterBody("r_total", 110),
		counterBody("r_total", 5), counterBody("r_total", 15),
	})
	// At t=45 s, window (-15 s, 45 s] holds all four samples (0..45 s).
	// Raw increase with the reset: (110-100) + 5 + (15-5) = 25 over 45 s.
	// The first sample is 15 s from the window start (< 1.1 x 15 s), and the
	// zero point (45 s * 100/25 = 180 s back) is further, so it extrapolates
	// to the full window: 25 * 60/45 = 33.33...; rate = 33.33/60 = 25/45.
	assertClose(t, "increase", queryOne(t, e, "increase(r_total[1m])", 45*time.Second), 25.0*60/45)
	assertClose(t, "rate", queryOne(t, e, "rate(r_total[1m])", 45*time.Second), 25.0/45)
	assertClose(t, "resets", queryOne(t, e, "resets(r_total[1m])", 45*time.Second), 1)
}

func TestHistogramQuantile(t *testing.T) {
	// Bucket counters grow at 2, 8, 16, 20 and 20 per second (cumulative).
	rates := []struct {
		le   string
		rate float64
	}{{"0.1", 2}, {"0.25", 8}, {"0.5", 16}, {"1", 20}, {"+Inf", 20}}
	var bodies []string
	for i := 0; i <= 8; i++ {
		sec := float64(i) * step.Seconds()
		b := "# TYPE h histogram\n"
		for _, r := range rates {
			b += fmt.Sprintf("h_bucket{le=%q} %g\n", r.le, r.rate*sec)
		}
		b += fmt.Sprintf("h_sum %g\nh_count %g\n", 7*sec, 20*sec)
		bodies = append(bodies, b)
	}
	e, _ := scrapeSeries(t, bodies)

	// rank = 0.95 * 20 = 19 lies in the (0.5, 1] bucket, which holds
	// 20-16 = 4 of the per-second observations, 3 of them up to the rank:
	// 0.5 + (1-0.5) * 3/4 = 0.875.
	got := queryOne(t, e, "histogram_quantile(0.95, sum by (le) (rate(h_bucket[1m])))", 120*time.Second)
	assertClose(t, "p95", got, 0.875)
	// rank 0.5*20 = 10 in (0.25, 0.5]: 0.25 + 0.25 * (10-8)/(16-8) = 0.3125.
	got = queryOne(t, e, "histogram_quantile(0.5, sum by (le) (rate(h_bucket[1m])))", 120*time.Second)
	assertClose(t, "p50", got, 0.3125)
	// Prometheus stores le in OpenMetrics float form: le="1" becomes "1.0".
	if v := query(t, e, `h_bucket{le="1.0"}`, 120*time.Second); len(v) != 1 {
		t.Errorf(`h_bucket{le="1.0"}: want 1 series, got %v`, v)
	}
}

func TestOffset(t *testing.T) {
	// 10/s until 240 s, 20/s after.
	var bodies []string
	v := 0.0
	for i := 0; i <= 20; i++ {
		if i > 0 {
			if i*15 <= 240 {
				v += 150
			} else {
				v += 300
			}
		}
		bodies = append(bodies, counterBody("o_total", v))
	}
	e, _ := scrapeSeries(t, bodies)
	at := 300 * time.Second
	assertClose(t, "o_total", queryOne(t, e, "o_total", at), 16*150+4*300)
	// The value at 240 s: 16 steps of 150.
	assertClose(t, "o_total offset 1m", queryOne(t, e, "o_total offset 1m", at), 16*150)
	assertClose(t, "rate now", queryOne(t, e, "rate(o_total[1m])", at), 20)
	// Window (180 s, 240 s]: all steps of 150 per 15 s.
	assertClose(t, "rate offset 1m", queryOne(t, e, "rate(o_total[1m] offset 1m)", at), 10)
	// @ and negative offsets are enabled.
	assertClose(t, "@ 240", queryOne(t, e, fmt.Sprintf("o_total @ %d", t0.Add(240*time.Second).Unix()), at), 16*150)
	assertClose(t, "offset -1m", queryOne(t, e, "o_total offset -1m", 240*time.Second), 16*150+4*300)
}
