// Package history keeps time series for graphs and inline trends. Each
// range is fetched once with a step that fits the screen, then only the
// points newer than those held are asked for: one range query per role,
// whatever the fleet size.
package history

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// MaxPoints is the most points one series may have per request; Prometheus
// refuses queries over 11,000 points per series.
const MaxPoints = 11000

// RangeQuerier answers range queries; the embedded engine and the remote
// Prometheus source both do.
type RangeQuerier interface {
	QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error)
}

// Query is one role's expression.
type Query struct {
	Role fleet.Role
	Expr string
}

// Key identifies one series: a role for a model version, plus the extra
// label that splits it (the metric of a performance series).
type Key struct {
	Role    fleet.Role
	Model   string
	Version string
	Extra   string
}

// Point is one sample.
type Point struct {
	T time.Time
	V float64
}

// Window is a consistent set of series for one range and step.
type Window struct {
	Range time.Duration
	Step  time.Duration
	End   time.Time
	// Series are oldest first; gaps (no sample at a step) are absent points.
	Series map[Key][]Point
	// Errors by role for the last fetch; the held points stay usable.
	Errors map[fleet.Role]string
}

// Values returns the series for key on a regular grid of the window's
// steps, NaN where there is no sample: what a graph wants.
func (w Window) Values(k Key) []float64 {
	if w.Step <= 0 {
		return nil
	}
	n := int(w.Range / w.Step)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	start := w.End.Add(-w.Range)
	for _, p := range w.Series[k] {
		i := int(p.T.Sub(start)/w.Step) - 1
		if i >= 0 && i < n {
			out[i] = p.V
		}
	}
	return out
}

// StepFor picks a step that gives about width points over rng, never finer
// than minStep and never more than MaxPoints, rounded to a whole second.
func StepFor(rng time.Duration, width int, minStep time.Duration) time.Duration {
	if width < 1 {
		width = 1
	}
	step := rng / time.Duration(width)
	if step < minStep {
		step = minStep
	}
	if rng/step > MaxPoints {
		step = rng / MaxPoints
	}
	if step < time.Second {
		step = time.Second
	}
	return step.Round(time.Second)
}

// Store holds windows keyed by (range, step) so every viewer of the same
// range shares one set of queries.
type Store struct {
	src     RangeQuerier
	queries []Query
	now     func() time.Time
	timeout time.Duration

	mu      sync.Mutex
	windows map[windowKey]*window
	sent    int
}

type windowKey struct{ rng, step time.Duration }

type window struct {
	mu     sync.Mutex
	series map[Key][]Point
	end    time.Time // newest step fetched
	errors map[fleet.Role]string
}

// New makes a store over a range-query source.
func New(src RangeQuerier, queries []Query, now func() time.Time, timeout time.Duration) *Store {
	if now == nil {
		now = time.Now
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Store{src: src, queries: queries, now: now, timeout: timeout, windows: map[windowKey]*window{}}
}

// QueriesSent counts range queries made, for tests and benchmarks.
func (s *Store) QueriesSent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// Fetch brings the window for rng at step up to date and returns a copy.
// The first call fills the whole range; later calls ask only for the steps
// after the newest one held.
func (s *Store) Fetch(ctx context.Context, rng, step time.Duration) (Window, error) {
	if step <= 0 || rng <= 0 {
		return Window{}, fmt.Errorf("history: bad range %s / step %s", rng, step)
	}
	s.mu.Lock()
	k := windowKey{rng, step}
	w, ok := s.windows[k]
	if !ok {
		w = &window{series: map[Key][]Point{}, errors: map[fleet.Role]string{}}
		s.windows[k] = w
	}
	s.mu.Unlock()

	w.mu.Lock()
	defer w.mu.Unlock()
	// Align to the step so successive fetches land on the same grid and
	// Prometheus's results are cacheable.
	end := s.now().Truncate(step)
	start := end.Add(-rng).Add(step)
	if !w.end.IsZero() && w.end.After(start) {
		start = w.end.Add(step)
	}
	var firstErr error
	if !start.After(end) {
		fetched := s.fetch(ctx, w, start, end, step)
		if fetched != nil {
			firstErr = fetched
		}
		w.end = end
	}
	trim(w.series, end.Add(-rng))
	return w.snapshot(rng, step, end), firstErr
}

func (s *Store) fetch(ctx context.Context, w *window, start, end time.Time, step time.Duration) error {
	type result struct {
		role fleet.Role
		m    model.Matrix
		err  error
	}
	results := make(chan result, len(s.queries))
	for _, q := range s.queries {
		go func(q Query) {
			qctx, cancel := context.WithTimeout(ctx, s.timeout)
			defer cancel()
			m, _, err := s.src.QueryRange(qctx, q.Expr, start, end, step)
			results <- result{q.Role, m, err}
		}(q)
	}
	s.mu.Lock()
	s.sent += len(s.queries)
	s.mu.Unlock()
	var firstErr error
	for range s.queries {
		r := <-results
		if r.err != nil {
			w.errors[r.role] = r.err.Error()
			if firstErr == nil {
				firstErr = fmt.Errorf("history %s: %w", r.role, r.err)
			}
			continue
		}
		delete(w.errors, r.role)
		for _, ss := range r.m {
			k := keyOf(r.role, ss.Metric)
			pts := w.series[k]
			for _, p := range ss.Values {
				t := p.Timestamp.Time()
				if n := len(pts); n > 0 && !t.After(pts[n-1].T) {
					continue
				}
				pts = append(pts, Point{T: t, V: float64(p.Value)})
			}
			w.series[k] = pts
		}
	}
	return firstErr
}

func keyOf(role fleet.Role, m model.Metric) Key {
	k := Key{Role: role, Model: string(m["model"]), Version: string(m["version"])}
	switch role {
	case fleet.RolePerformance:
		k.Extra = string(m["metric"])
	case fleet.RoleDriftScore:
		k.Extra = string(m["feature"])
	}
	return k
}

// trim drops points older than from, and series left empty.
func trim(series map[Key][]Point, from time.Time) {
	for k, pts := range series {
		i := 0
		for i < len(pts) && !pts[i].T.After(from) {
			i++
		}
		if i == len(pts) {
			delete(series, k)
			continue
		}
		if i > 0 {
			series[k] = append(pts[:0:0], pts[i:]...)
		}
	}
}

func (w *window) snapshot(rng, step time.Duration, end time.Time) Window {
	out := Window{Range: rng, Step: step, End: end, Series: make(map[Key][]Point, len(w.series)), Errors: map[fleet.Role]string{}}
	// Slices are shared, not copied: points are only ever appended past a
	// reader's length or trimmed into a new array, so a reader's view never
	// changes under it.
	for k, pts := range w.series {
		out.Series[k] = pts[:len(pts):len(pts)]
	}
	for r, e := range w.errors {
		out.Errors[r] = e
	}
	return out
}
