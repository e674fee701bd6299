package embedded

import (
	"context"
	"slices"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/annotations"
)

// querier reads the store as of commit seq.
type querier struct {
	s          *store
	mint, maxt int64
	seq        uint64
}

// Select returns the series matching all matchers with samples in the hinted
// range (the querier's range without hints).
func (q *querier) Select(ctx context.Context, sortSeries bool, hints *storage.SelectHints, matchers ...*labels.Matcher) storage.SeriesSet {
	if err := ctx.Err(); err != nil {
		return storage.ErrSeriesSet(err)
	}
	mint, maxt := q.mint, q.maxt
	if hints != nil {
		mint, maxt = hints.Start, hints.End
	}
	var out []*seriesView
	q.s.mu.RLock()
	q.s.forEachMatching(matchers, func(ms *memSeries) {
		if v := ms.view(mint, maxt, q.seq); v != nil {
			out = append(out, v)
		}
	})
	q.s.mu.RUnlock()
	if sortSeries {
		slices.SortFunc(out, func(a, b *seriesView) int { return labels.Compare(a.lset, b.lset) })
	}
	if hints != nil && hints.Limit > 0 && len(out) > hints.Limit {
		out = out[:hints.Limit]
	}
	return &seriesSet{list: out, i: -1}
}

// forEachMatching calls f for each series matching all matchers; the caller
// holds the read lock. A metric name equality matcher narrows the scan.
func (s *store) forEachMatching(matchers []*labels.Matcher, f func(*memSeries)) {
	match := func(ms *memSeries) bool {
		for _, m := range matchers {
			if !m.Matches(ms.lset.Get(m.Name)) {
				return false
			}
		}
		return true
	}
	for _, m := range matchers {
		if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
			for _, ms := range s.byName[m.Value] {
				if match(ms) {
					f(ms)
				}
			}
			return
		}
	}
	for _, list := range s.series {
		for _, ms := range list {
			if match(ms) {
				f(ms)
			}
		}
	}
}

// LabelValues returns the sorted non-empty values of name among the series
// matching matchers that have samples in the querier's range.
func (q *querier) LabelValues(ctx context.Context, name string, hints *storage.LabelHints, matchers ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	seen := map[string]struct{}{}
	q.s.mu.RLock()
	q.s.forEachMatching(matchers, func(ms *memSeries) {
		if ms.firstCommit > q.seq || !ms.overlaps(q.mint, q.maxt) {
			return
		}
		if v := ms.lset.Get(name); v != "" {
			seen[v] = struct{}{}
		}
	})
	q.s.mu.RUnlock()
	vals, _ := hints.ApplyLimit(sortedKeys(seen))
	return vals, nil, nil
}

// LabelNames returns the sorted label names of the series matching matchers
// that have samples in the querier's range.
func (q *querier) LabelNames(ctx context.Context, hints *storage.LabelHints, matchers ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	seen := map[string]struct{}{}
	q.s.mu.RLock()
	q.s.forEachMatching(matchers, func(ms *memSeries) {
		if ms.firstCommit > q.seq || !ms.overlaps(q.mint, q.maxt) {
			return
		}
		ms.lset.Range(func(l labels.Label) { seen[l.Name] = struct{}{} })
	})
	q.s.mu.RUnlock()
	names, _ := hints.ApplyLimit(sortedKeys(seen))
	return names, nil, nil
}

func (q *querier) Close() error { return nil }

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// seriesSet iterates a Select result.
type seriesSet struct {
	list []*seriesView
	i    int
}

func (s *seriesSet) Next() bool {
	if s.i+1 >= len(s.list) {
		return false
	}
	s.i++
	return true
}

func (s *seriesSet) At() storage.Series                { return s.list[s.i] }
func (s *seriesSet) Err() error                        { return nil }
func (s *seriesSet) Warnings() annotations.Annotations { return nil }
