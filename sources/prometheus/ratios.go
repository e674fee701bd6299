package prometheus

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
)

// sharedRatios answers a ratio of two aggregations, `A / B`, and B asked
// on its own at the same instant with one query of both: the error ratio
// and the request rate it divides by no longer make the server evaluate
// the request rate twice. The division is done here as Prometheus does it
// (one-to-one on every label, IEEE division), so the answer is the
// server's to the bit. Only a Prometheus server is answered so, and only
// once both have been asked (the first refresh sends them as they are).
type sharedRatios struct {
	mu      sync.Mutex
	parsed  map[string]ratioExpr   // expression -> its parts; ok false: not such a ratio
	asked   map[string]bool        // expressions asked on their own
	ratioOf map[string]ratioExpr   // denominator -> the first ratio seen dividing by it
	batches map[string]*ratioBatch // ratio (num and den) -> its latest read
}

// ratioExpr is num / den taken apart.
type ratioExpr struct {
	num, den string
	ok       bool
}

// ratioBatch is one read of a ratio's two sides at one instant.
type ratioBatch struct {
	at       time.Time
	done     chan struct{}
	num, den model.Vector
	warnings []string
	err      error
}

// partLabel tells the two sides apart in the one answer.
const partLabel = "mltop_ratio_part"

func newSharedRatios() *sharedRatios {
	return &sharedRatios{parsed: map[string]ratioExpr{}, asked: map[string]bool{},
		ratioOf: map[string]ratioExpr{}, batches: map[string]*ratioBatch{}}
}

// ratio answers expr from a shared read when it is a known ratio whose
// denominator is asked on its own, or such a denominator; answered is false
// otherwise, and the server is to be asked expr itself.
func (s *Source) ratio(ctx context.Context, expr string, at time.Time) (vec model.Vector, warnings []string, answered bool, err error) {
	// Remembered whatever the server: the next refresh may know it.
	re, isRatio, share := s.ratios.plan(expr)
	if !share || s.Backend() != BackendPrometheus {
		return nil, nil, false, nil
	}
	b, err := s.ratios.read(ctx, re, at, s)
	if err != nil {
		return nil, nil, true, err // this asker's own context ended
	}
	if warnings, answered, err, failed := sharedFailure(ctx, b.err, b.warnings); failed {
		return nil, warnings, answered, err
	}
	if !isRatio {
		return slices.Clone(b.den), b.warnings, true, nil // each asker's own slice
	}
	return divide(b.num, b.den), b.warnings, true, nil
}

// plan remembers what expr is and says whether it is answered from a
// shared read: a ratio whose denominator has been asked on its own, or the
// denominator of a ratio seen before.
func (s *sharedRatios) plan(expr string) (re ratioExpr, isRatio, share bool) {
	s.mu.Lock()
	re, seen := s.parsed[expr]
	s.mu.Unlock()
	if !seen {
		re = parseRatio(expr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.parsed) >= maxParsed {
		clear(s.parsed)
		clear(s.asked)
		clear(s.ratioOf)
	}
	s.parsed[expr] = re
	if re.ok {
		// Several ratios may divide by one expression (an error ratio and
		// a mean latency by the request rate): each reads its own pair,
		// and the denominator asked alone shares the first one's.
		if _, ok := s.ratioOf[re.den]; !ok {
			s.ratioOf[re.den] = re
		}
		return re, true, s.asked[re.den]
	}
	s.asked[expr] = true
	if r, ok := s.ratioOf[expr]; ok {
		return r, false, true
	}
	return re, false, false
}

// parseRatio takes `sum by (l…) (…) / sum by (l…) (…)` apart: two
// aggregations by the same labels (so one series per label set on each
// side, matched one to one), no matching modifiers, no bool.
func parseRatio(expr string) ratioExpr {
	e, err := quantileParser.ParseExpr(expr)
	if err != nil {
		return ratioExpr{}
	}
	bin, ok := e.(*parser.BinaryExpr)
	if !ok || bin.Op != parser.DIV || bin.ReturnBool {
		return ratioExpr{}
	}
	if m := bin.VectorMatching; m == nil || m.Card != parser.CardOneToOne || m.On || len(m.MatchingLabels) > 0 || len(m.Include) > 0 {
		return ratioExpr{}
	}
	l, lok := bin.LHS.(*parser.AggregateExpr)
	r, rok := bin.RHS.(*parser.AggregateExpr)
	if !lok || !rok || l.Without || r.Without || len(l.Grouping) == 0 || slices.Contains(l.Grouping, partLabel) {
		return ratioExpr{}
	}
	// Only aggregations whose series have no metric name and one per
	// group: divide matches them as the server does. topk, limitk and the
	// like keep names and several series per group.
	if !nameless(l) || !nameless(r) {
		return ratioExpr{}
	}
	if !sameSet(l.Grouping, r.Grouping) {
		return ratioExpr{}
	}
	lr, rr := l.PositionRange(), r.PositionRange()
	return ratioExpr{num: expr[lr.Start:lr.End], den: expr[rr.Start:rr.End], ok: true}
}

// nameless reports whether an aggregation gives one series per group,
// without a metric name.
func nameless(a *parser.AggregateExpr) bool {
	switch a.Op {
	case parser.SUM, parser.AVG, parser.MIN, parser.MAX, parser.COUNT, parser.GROUP, parser.STDDEV, parser.STDVAR:
		return !slices.Contains(a.Grouping, model.MetricNameLabel)
	}
	return false
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// read returns both sides at instant at, reading them once for every
// asker of that instant.
func (s *sharedRatios) read(ctx context.Context, re ratioExpr, at time.Time, src *Source) (*ratioBatch, error) {
	key := re.num + "\x00" + re.den
	s.mu.Lock()
	b := s.batches[key]
	if b != nil && b.at.Equal(at) && !failed(b.done, &b.err) {
		s.mu.Unlock()
		select {
		case <-b.done:
			return b, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b = &ratioBatch{at: at, done: make(chan struct{})}
	if len(s.batches) >= maxParsed {
		clear(s.batches)
	}
	s.batches[key] = b
	s.mu.Unlock()
	defer close(b.done)
	both := `label_replace(` + re.num + `, "` + partLabel + `", "num", "", "") or label_replace(` + re.den + `, "` + partLabel + `", "den", "", "")`
	// Asked at every refresh, the joined read itself joins the refresh's
	// other small queries (sharedRequests).
	vec, warnings, answered, err := src.batched(ctx, both, at)
	if !answered {
		vec, warnings, err = src.instant(ctx, both, at)
	}
	if b.warnings, b.err = warnings, err; err == nil {
		b.num, b.den = splitParts(vec, &src.metrics)
	}
	return b, nil
}

// splitParts sorts the answer's series into the two sides, the tag
// removed (the label maps are shared: each sample gets the shared map of
// its labels without the tag); series holding a native histogram are left
// out, as Query does.
func splitParts(vec model.Vector, metrics *metricCache) (num, den model.Vector) {
	for _, smp := range vec {
		if smp.Histogram != nil {
			continue
		}
		part := smp.Metric[partLabel]
		smp.Metric = metrics.without(smp.Metric, partLabel)
		if part == "num" {
			num = append(num, smp)
		} else {
			den = append(den, smp)
		}
	}
	return num, den
}

// divide is num / den as Prometheus matches it one to one: a series of num
// with the same labels in den gives num's labels and the IEEE quotient;
// one without gives nothing.
func divide(num, den model.Vector) model.Vector {
	byLabels := make(map[model.Fingerprint]*model.Sample, len(den))
	for _, d := range den {
		byLabels[d.Metric.Fingerprint()] = d
	}
	out := make(model.Vector, 0, len(num))
	for _, n := range num {
		d, ok := byLabels[n.Metric.Fingerprint()]
		if !ok {
			continue
		}
		out = append(out, &model.Sample{Metric: n.Metric, Value: n.Value / d.Value, Timestamp: n.Timestamp})
	}
	return out
}
