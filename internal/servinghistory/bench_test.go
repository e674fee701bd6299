package servinghistory

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

// BenchmarkServedFleet: a month of a 1,000-model fleet (three versions
// each, handing over a third of the way and two thirds of the way, the
// last as a canary first) at the hour's step: the three range answers
// turned into every model's intervals, as one Served("") does after its
// read. The answers are built once; the queries are not timed.
func BenchmarkServedFleet(b *testing.B) {
	const models, steps = 1000, 720
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var rates, errs, perf model.Matrix
	for i := range models {
		for v := range 3 {
			labels := model.Metric{"model": model.LabelValue(fmt.Sprintf("model-%04d", i)), "version": model.LabelValue(fmt.Sprint(v + 1))}
			first, last := v*steps/3-12*(v/2), (v+1)*steps/3
			n := last - first
			r := series(labels, start.Add(time.Duration(first)*time.Hour), time.Hour, repeat(10, n)...)
			rates = append(rates, r)
			errs = append(errs, series(labels, r.Values[0].Timestamp.Time(), time.Hour, repeat(0.01, n)...))
			pl := labels.Clone()
			pl["metric"] = "auc"
			perf = append(perf, series(pl, r.Values[0].Timestamp.Time(), time.Hour, repeat(0.9, n)...))
		}
	}
	answer := func(expr string, _, _ time.Time, _ time.Duration) (model.Matrix, error) {
		switch {
		case strings.Contains(expr, "errors"):
			return errs, nil
		case strings.Contains(expr, "performance"):
			return perf, nil
		}
		return rates, nil
	}
	now := start.Add(steps * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		// A new provider each time: no cache, every answer merged again.
		p := New(&fakeRange{answer: answer}, testQueries, Options{Now: func() time.Time { return now }})
		got, err := p.Served(context.Background(), "", time.Time{}, time.Time{})
		if err != nil || len(got) != models {
			b.Fatalf("%d models, %v", len(got), err)
		}
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
