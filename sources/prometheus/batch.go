package prometheus

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
)

// sharedRequests sends the instant queries of one refresh that were also
// asked at the two before as one request: most of a refresh's queries are
// small (rollout state, traffic weights), and at a hundred models the
// server's cost of each is mostly the request itself. Each expression is
// tagged with a label of its own and the answers joined with `or`; the
// answer is split by the tag, which is removed, so every expression gets
// its own series and values unchanged. Should the joined query fail, each
// expression is asked on its own, so that a failure is told of the query
// that fails. Only a Prometheus server is asked so.
type sharedRequests struct {
	mu     sync.Mutex
	at     time.Time       // the instant being asked
	asked  []string        // asked at that instant, in order
	last   map[string]bool // asked at the instant before
	steady map[string]bool // asked at both instants before: the joined read's
	batch  *requestBatch   // the joined read of the instant
	vector map[string]bool // expression -> its value is a vector (so it can be joined)
}

// requestBatch is one joined read at one instant.
type requestBatch struct {
	exprs    []string
	sent     bool // guarded by sharedRequests.mu
	done     chan struct{}
	parts    map[string]model.Vector
	warnings []string
	err      error
}

// batchLabel tags each expression's series in the joined answer: a
// reserved name, which no scraped series carries.
const batchLabel = "__mltop_part__"

func newSharedRequests() *sharedRequests {
	return &sharedRequests{last: map[string]bool{}, steady: map[string]bool{}, vector: map[string]bool{}}
}

// batched answers expr from the instant's joined read when it was asked at
// the two instants before too (a query on a slower schedule is not, and so
// is never evaluated for nothing); answered is false otherwise, and the
// server is to be asked expr itself.
func (s *Source) batched(ctx context.Context, expr string, at time.Time) (vec model.Vector, warnings []string, answered bool, err error) {
	b := s.requests.join(expr, at)
	if b == nil || s.Backend() != BackendPrometheus {
		return nil, nil, false, nil
	}
	s.requests.send(ctx, b, at, s)
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, nil, true, ctx.Err()
	}
	if b.err != nil {
		return nil, nil, false, nil // asked on its own
	}
	return slices.Clone(b.parts[expr]), b.warnings, true, nil // each asker's own slice
}

// join records expr as asked at at and returns the instant's joined read
// if expr belongs to it: asked at the two instants before, with at least
// one other.
func (s *sharedRequests) join(expr string, at time.Time) *requestBatch {
	isVector := s.isVector(expr)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !at.Equal(s.at) {
		// A lone query at an instant of its own (a screen's, between
		// refreshes) says nothing of what a refresh asks.
		if len(s.asked) >= 2 {
			steady := make(map[string]bool, len(s.asked))
			last := make(map[string]bool, len(s.asked))
			for _, e := range s.asked {
				last[e] = true
				if s.last[e] {
					steady[e] = true
				}
			}
			s.last, s.steady = last, steady
		}
		s.at, s.asked, s.batch = at, s.asked[:0:0], nil
	}
	if !isVector {
		return nil
	}
	if !slices.Contains(s.asked, expr) { // a look back may ask one instant again
		s.asked = append(s.asked, expr)
	}
	if !s.steady[expr] || len(s.steady) < 2 {
		return nil
	}
	if s.batch == nil {
		exprs := make([]string, 0, len(s.steady))
		for e := range s.steady {
			exprs = append(exprs, e)
		}
		slices.Sort(exprs)
		s.batch = &requestBatch{exprs: exprs, done: make(chan struct{})}
	}
	return s.batch
}

// send sends b once, from the first of its expressions to be asked.
func (s *sharedRequests) send(ctx context.Context, b *requestBatch, at time.Time, src *Source) {
	s.mu.Lock()
	first := !b.sent
	b.sent = true
	s.mu.Unlock()
	if !first {
		return
	}
	defer close(b.done)
	var q strings.Builder
	for i, e := range b.exprs {
		if i > 0 {
			q.WriteString(" or ")
		}
		q.WriteString("label_replace(" + e + `, "` + batchLabel + `", "` + strconv.Itoa(i) + `", "", "")`)
	}
	vec, warnings, err := src.instant(ctx, q.String(), at)
	if err != nil {
		b.err = err
		return
	}
	b.warnings, b.parts = warnings, make(map[string]model.Vector, len(b.exprs))
	for _, smp := range vec {
		i, err := strconv.Atoi(string(smp.Metric[batchLabel]))
		if err != nil || i < 0 || i >= len(b.exprs) {
			continue
		}
		smp.Metric = src.metrics.without(smp.Metric, batchLabel)
		b.parts[b.exprs[i]] = append(b.parts[b.exprs[i]], smp)
	}
}

// isVector reports whether expr parses to an instant vector, which alone
// can be joined with `or`; remembered.
func (s *sharedRequests) isVector(expr string) bool {
	s.mu.Lock()
	v, seen := s.vector[expr]
	s.mu.Unlock()
	if seen {
		return v
	}
	e, err := quantileParser.ParseExpr(expr)
	v = err == nil && e.Type() == parser.ValueTypeVector
	s.mu.Lock()
	if len(s.vector) >= maxParsed {
		clear(s.vector)
	}
	s.vector[expr] = v
	s.mu.Unlock()
	return v
}
