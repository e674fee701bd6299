package embedded

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"

	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/labelrows"
)

// maxWarnings caps the annotations returned per query, as Prometheus's HTTP API does.
const maxWarnings = 10

// Query evaluates expr at time at (Now() when zero), bounded by QueryTimeout.
// Warnings are the engine's warning annotations; its info annotations (such
// as "metric might not be a counter") are dropped, as the remote source drops
// them. A scalar result becomes one sample without labels; so does a string
// result, valued as the string parsed as a number (NaN if it is not one). A
// range-vector result is an error: instant callers want a value per series.
// NaN values are kept.
func (e *Engine) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	var out model.Vector
	warnings, err := e.instant(ctx, expr, at, func(v promql.Vector) {
		out = make(model.Vector, 0, len(v))
		for _, s := range v {
			if s.H != nil {
				continue
			}
			out = append(out, &model.Sample{Metric: toMetric(s.Metric), Value: model.SampleValue(s.F), Timestamp: model.Time(s.T)})
		}
	})
	return out, warnings, err
}

// QueryTable is Query keeping only the named labels, read from the
// engine's own label sets: no label map is built per sample.
func (e *Engine) QueryTable(ctx context.Context, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	var out *labelrows.Table
	warnings, err := e.instant(ctx, expr, at, func(v promql.Vector) {
		b := labelrows.NewBuilder(cols, len(v))
		row := make([]uint32, len(cols))
		for _, s := range v {
			if s.H != nil {
				continue
			}
			for c, name := range cols {
				row[c] = b.Intern(s.Metric.Get(name))
			}
			b.Add(row, s.F)
		}
		out = b.Table()
	})
	return out, warnings, err
}

// instant runs an instant query and hands its answer, as a vector, to
// read before the query's memory is released.
func (e *Engine) instant(ctx context.Context, expr string, at time.Time, read func(promql.Vector)) ([]string, error) {
	if at.IsZero() {
		at = e.opts.Now()
	}
	ctx, cancel := context.WithTimeout(ctx, e.opts.QueryTimeout)
	defer cancel()
	q, err := e.ng.NewInstantQuery(ctx, e.store, nil, expr, at)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", expr, err)
	}
	defer q.Close()
	res := q.Exec(ctx)
	warnings, _ := res.Warnings.AsStrings(expr, maxWarnings, 1)
	if res.Err != nil {
		return warnings, fmt.Errorf("query %q: %w", expr, res.Err)
	}
	switch v := res.Value.(type) {
	case promql.Vector:
		read(v)
	case promql.Scalar:
		read(promql.Vector{{F: v.V, T: v.T}})
	case promql.String:
		f, err := strconv.ParseFloat(v.V, 64)
		if err != nil {
			f = math.NaN()
		}
		read(promql.Vector{{F: f, T: v.T}})
	default:
		return warnings, fmt.Errorf("query %q: result is a %s, not an instant vector", expr, res.Value.Type())
	}
	return warnings, nil
}

// QueryRange evaluates expr at every step from start to end, bounded by
// QueryTimeout or the longer limit history.WithLongRead put on ctx.
// Warnings are as for Query.
func (e *Engine) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	if step <= 0 {
		return nil, nil, fmt.Errorf("query range %q: step must be positive, got %s", expr, step)
	}
	if end.Before(start) {
		return nil, nil, fmt.Errorf("query range %q: end %s is before start %s", expr, end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	ctx, cancel := context.WithTimeout(ctx, history.RangeLimit(ctx, e.opts.QueryTimeout))
	defer cancel()
	q, err := e.ng.NewRangeQuery(ctx, e.store, nil, expr, start, end, step)
	if err != nil {
		return nil, nil, fmt.Errorf("query range %q: %w", expr, err)
	}
	defer q.Close()
	res := q.Exec(ctx)
	warnings, _ := res.Warnings.AsStrings(expr, maxWarnings, 1)
	if res.Err != nil {
		return nil, warnings, fmt.Errorf("query range %q: %w", expr, res.Err)
	}
	m, ok := res.Value.(promql.Matrix)
	if !ok {
		return nil, warnings, fmt.Errorf("query range %q: result is a %s, not a matrix", expr, res.Value.Type())
	}
	out := make(model.Matrix, 0, len(m))
	for _, s := range m {
		if len(s.Floats) == 0 {
			continue
		}
		ss := &model.SampleStream{Metric: toMetric(s.Metric), Values: make([]model.SamplePair, len(s.Floats))}
		for i, p := range s.Floats {
			ss.Values[i] = model.SamplePair{Timestamp: model.Time(p.T), Value: model.SampleValue(p.F)}
		}
		out = append(out, ss)
	}
	return out, warnings, nil
}

func toMetric(ls labels.Labels) model.Metric {
	m := make(model.Metric, ls.Len())
	ls.Range(func(l labels.Label) { m[model.LabelName(l.Name)] = model.LabelValue(l.Value) })
	return m
}
