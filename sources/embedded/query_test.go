package embedded

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// gaugeEngine has a scraped gauge g{m="a"} = 1 and g{m="b"} = 3 at t0..t0+60s.
func gaugeEngine(t *testing.T) *Engine {
	t.Helper()
	c := newClock()
	x := newExporter(t, lines("# TYPE g gauge", `g{m="a"} 1`, `g{m="b"} 3`))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	for i := range 5 {
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestBadPromQL(t *testing.T) {
	e := gaugeEngine(t)
	for _, expr := range []string{"sum(g", "rate(g[1x])", "g{", ""} {
		v, _, err := e.Query(context.Background(), expr, t0)
		if err == nil {
			t.Errorf("%q: want an error, got %v", expr, v)
			continue
		}
		var perr parser.ParseErrors
		if !errors.As(err, &perr) || !strings.Contains(err.Error(), "parse error") {
			t.Errorf("%q: want a parse error, got %v", expr, err)
		}
	}
	// A subquery without a step uses the default interval instead of crashing.
	if _, _, err := e.Query(context.Background(), "max_over_time(g[1m:])", t0.Add(time.Minute)); err != nil {
		t.Errorf("subquery without step: %v", err)
	}
	if _, _, err := e.QueryRange(context.Background(), "sum(", t0, t0.Add(time.Minute), step); err == nil {
		t.Error("range query with bad PromQL: want an error")
	}
}

func TestResultShapes(t *testing.T) {
	e := gaugeEngine(t)
	ctx := context.Background()
	at := t0.Add(time.Minute)

	v, _, err := e.Query(ctx, "scalar(sum(g))", at)
	if err != nil || len(v) != 1 || len(v[0].Metric) != 0 || v[0].Value != 4 || !v[0].Timestamp.Time().Equal(at) {
		t.Errorf("scalar: %v, %v", v, err)
	}
	v, _, err = e.Query(ctx, `"2.5"`, at)
	if err != nil || len(v) != 1 || v[0].Value != 2.5 {
		t.Errorf("numeric string: %v, %v", v, err)
	}
	v, _, err = e.Query(ctx, `"text"`, at)
	if err != nil || len(v) != 1 || !math.IsNaN(float64(v[0].Value)) {
		t.Errorf("string: %v, %v", v, err)
	}
	if _, _, err = e.Query(ctx, "g[1m]", at); err == nil || !strings.Contains(err.Error(), "not an instant vector") {
		t.Errorf("range vector from Query: want an error, got %v", err)
	}
	// NaN is kept.
	v, _, err = e.Query(ctx, `g{m="a"} * NaN`, at)
	if err != nil || len(v) != 1 || !math.IsNaN(float64(v[0].Value)) {
		t.Errorf("NaN: %v, %v", v, err)
	}

	m, _, err := e.QueryRange(ctx, `sum by (m) (g)`, t0, at, 30*time.Second)
	if err != nil || len(m) != 2 {
		t.Fatalf("range: %v, %v", m, err)
	}
	for _, ss := range m {
		if len(ss.Values) != 3 {
			t.Errorf("range series %v: %d points, want 3 (0, 30, 60 s)", ss.Metric, len(ss.Values))
		}
	}
	if _, _, err := e.QueryRange(ctx, "g", t0, at, 0); err == nil {
		t.Error("zero step: want an error")
	}
	if _, _, err := e.QueryRange(ctx, "g", at, t0, step); err == nil {
		t.Error("end before start: want an error")
	}
}

func TestWarningsButNotInfos(t *testing.T) {
	e := gaugeEngine(t)
	// A quantile outside [0, 1] is a warning.
	_, warns, err := e.Query(context.Background(), `histogram_quantile(2, label_replace(g, "le", "1", "", ""))`, t0.Add(time.Minute))
	if err != nil || len(warns) == 0 || !strings.Contains(warns[0], "quantile") {
		t.Errorf("want a quantile warning, got %v, %v", warns, err)
	}
	// rate() of a metric not named like a counter is only an info.
	_, warns, err = e.Query(context.Background(), "rate(g[1m])", t0.Add(time.Minute))
	if err != nil || len(warns) != 0 {
		t.Errorf("infos must not be returned as warnings: %v, %v", warns, err)
	}
}

func TestQueryHonoursContext(t *testing.T) {
	e := gaugeEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := e.Query(ctx, "sum(g)", t0.Add(time.Minute)); err == nil {
		t.Error("cancelled context: want an error")
	}
}
