package prometheus

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/bucketquantile"
	"github.com/mltop/mltop/internal/labelrows"
)

// sharedQuantiles answers every histogram_quantile(φ, buckets) asked at
// one instant with one query of the buckets, the quantiles computed here
// with Prometheus's own function: p50, p95 and p99 of one histogram cost
// the server one evaluation of the bucket rates instead of three. Only a
// Prometheus server is answered so (other engines have their own
// histogram_quantile), and the server itself is asked whenever its
// version could answer differently (bucketquantile.Groups, Quantile).
//
// The buckets themselves, asked at the same instant (the latency objective
// reads them), are answered from the same read.
type sharedQuantiles struct {
	mu      sync.Mutex
	parsed  map[string]quantileExpr // expression -> what it asks; ok false: not a quantile
	buckets map[string]quantileExpr // bucket expression -> a quantile of it
	batches map[string]*bucketBatch // bucket expression -> its latest read
}

// quantileExpr is histogram_quantile(q, buckets) taken apart.
type quantileExpr struct {
	q       float64
	buckets string
	// cols are every label the buckets can have when they are an
	// aggregation `by (…, le)`: then they are read as a table (QueryTable),
	// much cheaper to decode than samples with their label maps.
	cols []string
	ok   bool
}

// bucketBatch is one read of a bucket expression at one instant, shared by
// every quantile of it asked at that instant.
type bucketBatch struct {
	at       time.Time
	done     chan struct{}
	groups   []bucketquantile.Group
	exact    bool             // the groups can be answered here (bucketquantile.Groups)
	vec      model.Vector     // the answer read as samples, or
	tab      *labelrows.Table // read as a table
	warnings []string
	err      error
}

// quantileParser reads the expressions as the config checked them.
var quantileParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// maxParsed bounds the expressions remembered (narrowed per-model
// expressions come and go with the screens).
const maxParsed = 1024

func newSharedQuantiles() *sharedQuantiles {
	return &sharedQuantiles{parsed: map[string]quantileExpr{}, buckets: map[string]quantileExpr{}, batches: map[string]*bucketBatch{}}
}

// quantile answers expr from the shared read of its buckets; answered is
// false for an expression that is not a histogram quantile of a number,
// when the server is not Prometheus, or when its version may answer
// differently: then the server is to be asked expr itself.
func (s *Source) quantile(ctx context.Context, expr string, at time.Time) (vec model.Vector, warnings []string, answered bool, err error) {
	qe := s.quant.parse(expr)
	if !qe.ok || s.Backend() != BackendPrometheus {
		return nil, nil, false, nil
	}
	b, err := s.quant.read(ctx, qe, at, s)
	if err != nil {
		return nil, nil, true, err // this asker's own context ended
	}
	if warnings, answered, err, failed := sharedFailure(ctx, b.err, b.warnings); failed {
		return nil, warnings, answered, err
	}
	if b.exact {
		if vec, ok := bucketquantile.Vector(qe.q, b.groups, evalTime(at)); ok {
			return vec, b.warnings, true, nil
		}
	}
	s.log.Debug("buckets the server's version may read differently: asking it", "expr", expr)
	return nil, nil, false, nil
}

// parse takes expr apart once; a φ that is not a number literal is left to
// the server.
func (s *sharedQuantiles) parse(expr string) quantileExpr {
	s.mu.Lock()
	qe, seen := s.parsed[expr]
	s.mu.Unlock()
	if seen {
		return qe
	}
	qe = quantileExpr{}
	if e, err := quantileParser.ParseExpr(expr); err == nil {
		if call, ok := e.(*parser.Call); ok && call.Func.Name == "histogram_quantile" && len(call.Args) == 2 {
			if n, ok := call.Args[0].(*parser.NumberLiteral); ok {
				r := call.Args[1].PositionRange()
				qe = quantileExpr{q: n.Val, buckets: expr[r.Start:r.End], cols: groupedBy(call.Args[1]), ok: true}
			}
		}
	}
	s.mu.Lock()
	if len(s.parsed) >= maxParsed {
		clear(s.parsed)
		clear(s.buckets)
	}
	s.parsed[expr] = qe
	if qe.ok {
		s.buckets[qe.buckets] = qe
	}
	s.mu.Unlock()
	return qe
}

// bucketsRead answers a bucket expression whose quantiles are asked too
// from their shared read; answered is false for any other expression.
func (s *Source) bucketsRead(ctx context.Context, expr string, at time.Time) (vec model.Vector, warnings []string, answered bool, err error) {
	s.quant.mu.Lock()
	qe, ok := s.quant.buckets[expr]
	s.quant.mu.Unlock()
	if !ok || s.Backend() != BackendPrometheus {
		return nil, nil, false, nil
	}
	b, err := s.quant.read(ctx, qe, at, s)
	if err != nil {
		return nil, nil, true, err // this asker's own context ended
	}
	if warnings, answered, err, failed := sharedFailure(ctx, b.err, b.warnings); failed {
		return nil, warnings, answered, err
	}
	if b.tab == nil {
		return slices.Clone(b.vec), b.warnings, true, nil // each asker's own slice
	}
	return tableVector(b.tab, evalTime(at)), b.warnings, true, nil
}

// tableVector is a table read from a `sum by (…)` as the samples Query
// gives: every column a label, an absent one left out.
func tableVector(tab *labelrows.Table, ts model.Time) model.Vector {
	labels, dict := tab.Labels(), tab.Dict()
	out := make(model.Vector, tab.Len())
	for r := range tab.Len() {
		m := make(model.Metric, len(labels))
		for c, id := range tab.Row(r) {
			if id != labelrows.Absent {
				m[model.LabelName(labels[c])] = model.LabelValue(dict[id])
			}
		}
		out[r] = &model.Sample{Metric: m, Value: model.SampleValue(tab.Value(r)), Timestamp: ts}
	}
	return out
}

// groupedBy is the labels of an aggregation `by (…, le)`, nil for any
// other expression.
func groupedBy(e parser.Expr) []string {
	agg, ok := e.(*parser.AggregateExpr)
	if !ok || agg.Without || !slices.Contains(agg.Grouping, model.BucketLabel) {
		return nil
	}
	return agg.Grouping
}

// read returns the buckets at instant at: the first quantile of a refresh
// to ask sends the query, the others wait for its answer.
func (s *sharedQuantiles) read(ctx context.Context, qe quantileExpr, at time.Time, src *Source) (*bucketBatch, error) {
	s.mu.Lock()
	b := s.batches[qe.buckets]
	if b != nil && b.at.Equal(at) && !failed(b.done, &b.err) {
		s.mu.Unlock()
		select {
		case <-b.done:
			return b, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b = &bucketBatch{at: at, done: make(chan struct{})}
	if len(s.batches) >= maxParsed {
		clear(s.batches)
	}
	s.batches[qe.buckets] = b
	s.mu.Unlock()
	defer close(b.done)
	if qe.cols != nil {
		var a *answer
		if a, b.warnings, b.err = src.tableAnswer(ctx, qe.buckets, at, qe.cols); b.err == nil {
			b.tab = a.tab
			b.groups, b.exact = bucketquantile.FromTable(a.tab, a.histograms)
		}
		return b, nil
	}
	var vec model.Vector
	var histograms int
	if vec, histograms, b.warnings, b.err = src.instantCounted(ctx, qe.buckets, at); b.err == nil {
		b.groups, b.exact = bucketquantile.Groups(vec)
		b.exact = b.exact && histograms == 0
		b.vec = vec
	}
	return b, nil
}

// evalTime is the timestamp Prometheus gives an instant query's samples
// evaluated at at: the time as the query sends it (seconds, as a float),
// rounded to the millisecond as the server reads it.
func evalTime(at time.Time) model.Time {
	f := float64(at.Unix()) + float64(at.Nanosecond())/1e9
	sec, frac := math.Modf(f)
	frac = math.Round(frac*1000) / 1000
	return model.TimeFromUnixNano(time.Unix(int64(sec), int64(frac*float64(time.Second))).UnixNano())
}

// failed reports whether a read is over and failed: a read being made is
// waited for, a failed one is made again (a later refresh at the same
// instant, such as a look back asked twice, must not reuse a failure).
func failed(done <-chan struct{}, err *error) bool {
	select {
	case <-done:
		return *err != nil
	default:
		return false
	}
}

// sharedFailure is what an asker of a shared read answers when the read
// failed (readErr, with the read's warnings); failed is false when it did
// not. A read cancelled by another asker is no failure of this one, whose
// own context is still live: it asks on its own (answered false).
func sharedFailure(ctx context.Context, readErr error, warnings []string) (w []string, answered bool, err error, failed bool) {
	switch {
	case readErr == nil:
		return nil, false, nil, false
	case ctx.Err() == nil && errors.Is(readErr, context.Canceled):
		return nil, false, nil, true
	}
	return warnings, true, readErr, true
}
