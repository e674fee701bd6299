package embedded

import (
	"errors"
	"sync"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

// sweepEvery bounds how long series that are no longer appended to keep
// expired samples.
const sweepEvery = time.Minute

// store is the in-memory sample storage: a storage.Queryable for the PromQL
// engine, appended to in batches (one per scrape).
type store struct {
	mu        sync.RWMutex
	series    map[uint64][]*memSeries // by labels hash; collisions compared by labels
	byName    map[string][]*memSeries // postings for the metric name matcher almost every selector has
	seq       uint64                  // commits so far
	samples   int
	retention int64 // ms
	lastSweep int64 // ms
}

func newStore(retention time.Duration) *store {
	return &store{
		series:    map[uint64][]*memSeries{},
		byName:    map[string][]*memSeries{},
		retention: retention.Milliseconds(),
	}
}

// pendingSample is one sample of a batch.
type pendingSample struct {
	lset labels.Labels
	hash uint64
	t    int64
	v    float64
}

// batch collects a scrape's samples so they are committed at once.
type batch struct{ samples []pendingSample }

func (b *batch) add(lset labels.Labels, hash uint64, t int64, v float64) {
	b.samples = append(b.samples, pendingSample{lset: lset, hash: hash, t: t, v: v})
}

func (b *batch) reset() { b.samples = b.samples[:0] }

// commitResult counts what a commit did with its samples.
type commitResult struct {
	appended, outOfOrder, duplicate, outOfBounds int
}

// commit appends a batch under one write lock, so queries see all of it or
// none. now (ms) drives retention.
func (s *store) commit(b *batch, now int64) commitResult {
	var res commitResult
	cutoff := now - s.retention
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	for _, p := range b.samples {
		if p.t < cutoff {
			res.outOfBounds++
			continue
		}
		ms := s.getOrCreate(p.lset, p.hash)
		ok, err := ms.append(p.t, p.v, s.seq)
		switch {
		case errors.Is(err, errOutOfOrder):
			res.outOfOrder++
		case errors.Is(err, errDuplicate):
			res.duplicate++
		case ok:
			res.appended++
			s.samples++
		}
		if ms.minTime() < cutoff {
			// Never empties the series: it holds a sample at or after cutoff.
			s.trimLocked(ms, cutoff)
		}
	}
	if now-s.lastSweep >= sweepEvery.Milliseconds() {
		s.sweepLocked(cutoff)
		s.lastSweep = now
	}
	return res
}

func (s *store) getOrCreate(lset labels.Labels, hash uint64) *memSeries {
	for _, ms := range s.series[hash] {
		if labels.Equal(ms.lset, lset) {
			return ms
		}
	}
	ms := newMemSeries(lset, hash, s.seq)
	s.series[hash] = append(s.series[hash], ms)
	name := lset.Get(model.MetricNameLabel)
	s.byName[name] = append(s.byName[name], ms)
	return ms
}

func (s *store) trimLocked(ms *memSeries, cutoff int64) (empty bool) {
	dropped, empty := ms.trim(cutoff)
	s.samples -= dropped
	return empty
}

// sweepLocked trims every series, catching those no scrape appends to any
// more, and deletes the ones left empty.
func (s *store) sweepLocked(cutoff int64) {
	gone := map[*memSeries]bool{}
	for _, list := range s.series {
		for _, ms := range list {
			if ms.minTime() < cutoff && s.trimLocked(ms, cutoff) {
				gone[ms] = true
			}
		}
	}
	if len(gone) == 0 {
		return
	}
	for ms := range gone {
		if list := without(s.series[ms.hash], gone); len(list) > 0 {
			s.series[ms.hash] = list
		} else {
			delete(s.series, ms.hash)
		}
	}
	names := map[string]bool{}
	for ms := range gone {
		names[ms.lset.Get(model.MetricNameLabel)] = true
	}
	for name := range names {
		if list := without(s.byName[name], gone); len(list) > 0 {
			s.byName[name] = list
		} else {
			delete(s.byName, name)
		}
	}
}

// without returns list minus the gone series in a new slice: readers may
// still hold the old one.
func without(list []*memSeries, gone map[*memSeries]bool) []*memSeries {
	out := make([]*memSeries, 0, len(list))
	for _, x := range list {
		if !gone[x] {
			out = append(out, x)
		}
	}
	return out
}

// Stats describes what the engine holds.
type Stats struct {
	Series  int // series in memory
	Samples int // samples in memory, staleness markers included
}

func (s *store) stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, list := range s.series {
		n += len(list)
	}
	return Stats{Series: n, Samples: s.samples}
}

// Querier implements storage.Queryable. The querier sees the commits made
// before this call, whenever its selects run.
func (s *store) Querier(mint, maxt int64) (storage.Querier, error) {
	s.mu.RLock()
	seq := s.seq
	s.mu.RUnlock()
	return &querier{s: s, mint: mint, maxt: maxt, seq: seq}, nil
}
