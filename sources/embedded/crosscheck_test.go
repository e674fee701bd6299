package embedded

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/annotations"
)

// refQueryable serves whole series through Prometheus's own
// promql.StorageSeries: no time trimming, no chunks, no isolation. The
// embedded store must give the engine the same answers.
type refQueryable struct{ series []promql.Series }

func (r refQueryable) Querier(int64, int64) (storage.Querier, error) { return r, nil }

func (r refQueryable) Select(_ context.Context, _ bool, _ *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	var out []storage.Series
	for _, s := range r.series {
		ok := true
		for _, m := range ms {
			ok = ok && m.Matches(s.Metric.Get(m.Name))
		}
		if ok {
			out = append(out, promql.NewStorageSeries(s))
		}
	}
	return &refSet{list: out, i: -1}
}

func (refQueryable) LabelValues(context.Context, string, *storage.LabelHints, ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	return nil, nil, nil
}

func (refQueryable) LabelNames(context.Context, *storage.LabelHints, ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	return nil, nil, nil
}

func (refQueryable) Close() error { return nil }

type refSet struct {
	list []storage.Series
	i    int
}

func (s *refSet) Next() bool                        { s.i++; return s.i < len(s.list) }
func (s *refSet) At() storage.Series                { return s.list[s.i] }
func (s *refSet) Err() error                        { return nil }
func (s *refSet) Warnings() annotations.Annotations { return nil }

// TestAnswersMatchReferenceStorage evaluates a range of PromQL over random
// data (counters with resets, gauges with gaps and staleness markers, jittered
// intervals, several sealed chunks) in both storages.
func TestAnswersMatchReferenceStorage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	s := newStore(1000 * time.Hour)
	var ref []promql.Series
	var lsets []labels.Labels
	for i := range 3 {
		lsets = append(lsets, labels.FromStrings("__name__", "c_total", "k", fmt.Sprint(i%2), "i", fmt.Sprint(i)))
	}
	for i := range 3 {
		lsets = append(lsets, labels.FromStrings("__name__", "g", "k", fmt.Sprint(i%2), "i", fmt.Sprint(i)))
	}
	ref = make([]promql.Series, len(lsets))
	for i, l := range lsets {
		ref[i].Metric = l
	}
	vals := make([]float64, len(lsets))
	start := t0.UnixMilli()
	ts := start
	const rounds = 450
	for range rounds {
		ts += 5000 + rng.Int64N(2000) - 1000
		var b batch
		for i, l := range lsets {
			var v float64
			switch r := rng.Float64(); {
			case r < 0.04: // a gap
				continue
			case r < 0.07 && i >= 3: // a gauge goes stale
				v = staleNaN
			case i < 3:
				if rng.Float64() < 0.02 {
					vals[i] = 0 // counter reset
				}
				vals[i] += float64(rng.IntN(50))
				v = vals[i]
			default:
				v = rng.NormFloat64() * 10
			}
			b.add(l, l.Hash(), ts, v)
			ref[i].Floats = append(ref[i].Floats, promql.FPoint{T: ts, F: v})
		}
		s.commit(&b, ts)
	}
	end := ts

	ng := promql.NewEngine(promql.EngineOpts{
		MaxSamples: maxSamples, Timeout: time.Minute, LookbackDelta: lookbackDelta,
		NoStepSubqueryIntervalFn: func(int64) int64 { return subqueryStep.Milliseconds() },
		EnableAtModifier:         true, EnableNegativeOffset: true,
	})
	at := time.UnixMilli((start + end) / 2).Unix()
	exprs := []string{
		"c_total", "g", "rate(c_total[1m])", "irate(c_total[1m])", "increase(c_total[2m])",
		"resets(c_total[10m])", "sum by (k) (rate(c_total[5m]))", "c_total offset 90s",
		"rate(c_total[1m] offset -2m)", "max_over_time(g[5m])", "count_over_time(g[10m])",
		"last_over_time(g[3m])", "timestamp(g)", "avg_over_time(g[1m:15s])", "deriv(g[5m])",
		"changes(g[10m])", "quantile_over_time(0.9, g[7m])", "delta(g[2m])",
		"present_over_time(g[2m])", fmt.Sprintf("g @ %d", at), "max_over_time(rate(c_total[1m])[10m:])",
		"stddev by (k) (g)", "topk(2, g)",
	}
	compare := func(what string, got, want promql.Matrix) {
		t.Helper()
		sort.Slice(got, func(i, j int) bool { return labels.Compare(got[i].Metric, got[j].Metric) < 0 })
		sort.Slice(want, func(i, j int) bool { return labels.Compare(want[i].Metric, want[j].Metric) < 0 })
		if len(got) != len(want) {
			t.Fatalf("%s: %d series, reference %d", what, len(got), len(want))
		}
		for i := range got {
			if !labels.Equal(got[i].Metric, want[i].Metric) || len(got[i].Floats) != len(want[i].Floats) {
				t.Fatalf("%s: series %d = %s (%d points), reference %s (%d points)", what, i,
					got[i].Metric, len(got[i].Floats), want[i].Metric, len(want[i].Floats))
			}
			for j, p := range got[i].Floats {
				w := want[i].Floats[j]
				same := p.F == w.F || (math.IsNaN(p.F) && math.IsNaN(w.F)) || math.Abs(p.F-w.F) <= 1e-9*math.Abs(w.F)
				if p.T != w.T || !same {
					t.Fatalf("%s: %s point %d = %v, reference %v", what, got[i].Metric, j, p, w)
				}
			}
		}
	}
	run := func(q storage.Queryable, expr string, from, to int64, stepMs int64) promql.Matrix {
		t.Helper()
		qry, err := ng.NewRangeQuery(context.Background(), q, nil, expr, time.UnixMilli(from), time.UnixMilli(to), time.Duration(stepMs)*time.Millisecond)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		defer qry.Close()
		res := qry.Exec(context.Background())
		if res.Err != nil {
			t.Fatalf("%s: %v", expr, res.Err)
		}
		// Deep copy: Close returns the result's slices to the engine's pools.
		var out promql.Matrix
		m, _ := res.Value.(promql.Matrix)
		for _, ser := range m {
			out = append(out, promql.Series{Metric: ser.Metric, Floats: append([]promql.FPoint(nil), ser.Floats...)})
		}
		return out
	}
	for _, expr := range exprs {
		// A range query with an odd step probes every offset against the
		// data; single instants probe the edges and beyond the end.
		from, to := start-60_000, end+6*60_000
		compare(expr, run(s, expr, from, to, 7_300), run(refQueryable{ref}, expr, from, to, 7_300))
		for _, instant := range []int64{start, start + 1, end, end + 299_999, end + 300_001} {
			what := fmt.Sprintf("%s at %+d ms", expr, instant-start)
			compare(what, run(s, expr, instant, instant, 1000), run(refQueryable{ref}, expr, instant, instant, 1000))
		}
	}
}
