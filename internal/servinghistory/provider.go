// Package servinghistory says which version of each model served which
// share of its traffic over a range (30 days by default): the configured
// request-rate query as one range query for the whole fleet at a coarse
// step, each version's steps with traffic merged into intervals, and the
// error-ratio and quality queries at the same step for each interval's
// means. Reads are cached and shared: many SSH sessions asking at once
// cause one read.
package servinghistory

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/prometheus/common/model"
	"golang.org/x/sync/singleflight"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/narrow"
)

// DefaultRange is how far back serving history looks unless told.
const DefaultRange = 30 * 24 * time.Hour

// points is about how many steps a range is cut into: an hour's step over
// 30 days, fine enough to place a deploy within the hour, coarse enough
// that the fleet's read stays small.
const points = 720

// Options configure a Provider. Zero values take the defaults noted.
type Options struct {
	// MinStep is the finest step worth asking for (the scrape interval).
	MinStep time.Duration
	// Timeout bounds one read; default 30s (a month of the fleet).
	Timeout time.Duration
	// CacheFor is how long a read is reused; default 5 minutes. Steps are
	// an hour over 30 days, so a fresher read would show nothing new.
	CacheFor time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Latest returns the latest snapshot, which says a registered model's
	// metrics label when the registry join mapped a serving name; nil: the
	// registered name is the label.
	Latest func() (fleet.Snapshot, bool)
	// PerModel narrows a read for one model to that model (narrow): for
	// one-shot commands that ask once. The dashboard leaves it off so that
	// every session and model shares the fleet's one read.
	PerModel bool
}

// Provider answers Served. It is safe for concurrent use.
type Provider struct {
	src                      history.RangeQuerier
	requests, errors, perfQs string
	opts                     Options

	flight singleflight.Group
	mu     sync.Mutex
	cache  map[readKey]read
}

// New returns nil when src cannot answer range queries or no request_rate
// query is configured: there is no traffic to tell serving by.
func New(src history.RangeQuerier, queries []history.Query, opts Options) *Provider {
	if src == nil {
		return nil
	}
	p := &Provider{src: src, opts: opts, cache: map[readKey]read{}}
	for _, q := range queries {
		switch q.Role {
		case fleet.RoleRequestRate:
			p.requests = q.Expr
		case fleet.RoleErrorRatio:
			p.errors = q.Expr
		case fleet.RolePerformance:
			p.perfQs = q.Expr
		}
	}
	if p.requests == "" {
		return nil
	}
	if p.opts.Now == nil {
		p.opts.Now = time.Now
	}
	if p.opts.Timeout <= 0 {
		p.opts.Timeout = 30 * time.Second
	}
	if p.opts.CacheFor <= 0 {
		p.opts.CacheFor = 5 * time.Minute
	}
	return p
}

// StepFor is the step a range is read at: about 720 steps, never finer
// than minStep, whole minutes from a minute up.
func StepFor(rng, minStep time.Duration) time.Duration {
	step := history.StepFor(rng, points, minStep)
	if step >= time.Minute {
		step = step.Truncate(time.Minute)
	}
	return step
}

// Step is the step Served reads from..to at.
func (p *Provider) Step(from, to time.Time) time.Duration {
	return StepFor(to.Sub(from), p.opts.MinStep)
}

// readKey is one read: a model ("" for the fleet) over aligned steps.
type readKey struct {
	model      string
	start, end time.Time
	step       time.Duration
}

type read struct {
	at     time.Time
	models map[string]*modelSeries // by metrics label
	err    error                   // a side query that failed; the rates are good
}

// Served returns, for the model (its registered name; "" for every model),
// the intervals in which each version served between from and to, oldest
// first, keyed by model. A zero from is to minus DefaultRange; a zero to
// is now. When the error-ratio or quality read fails the intervals are
// still returned, without those means, with an error that says so.
// Errors name the query and what failed, not "serving history": the
// caller says what it was reading for.
func (p *Provider) Served(ctx context.Context, modelName string, from, to time.Time) (map[string][]fleet.ServedInterval, error) {
	if to.IsZero() {
		to = p.opts.Now()
	}
	if from.IsZero() {
		from = to.Add(-DefaultRange)
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("serving history: range %s to %s is empty", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	step := StepFor(to.Sub(from), p.opts.MinStep)
	names, labels := p.names()
	label := modelName
	if l, ok := labels[modelName]; ok {
		label = l
	}
	// The grid ends at to, to within a twelfth of a step (five minutes at
	// an hour's step) but no finer than MinStep: ending it at a whole step
	// would leave out up to a step of the newest traffic, and a version
	// deployed within the last hour would show as never served; ending it
	// exactly at to would give every ask its own read.
	grain := min(step, max(step/12, p.opts.MinStep))
	end := to.Truncate(grain)
	k := readKey{start: end.Add(-((end.Sub(from) + step - 1) / step) * step), end: end, step: step}
	if p.opts.PerModel && modelName != "" {
		k.model = label
	}
	r, err := p.read(ctx, k)
	if err != nil {
		return nil, err
	}
	out := map[string][]fleet.ServedInterval{}
	for l, ms := range r.models {
		name := l
		if n, ok := names[l]; ok {
			name = n
		}
		if modelName != "" && name != modelName {
			continue
		}
		if ivs := ms.served(step); len(ivs) > 0 {
			out[name] = ivs
		}
	}
	if r.err != nil {
		return out, r.err
	}
	return out, nil
}

// names maps metrics labels to registered names and back, from the latest
// snapshot (they differ when the registry join mapped a serving name).
func (p *Provider) names() (byLabel, byName map[string]string) {
	byLabel, byName = map[string]string{}, map[string]string{}
	if p.opts.Latest == nil {
		return byLabel, byName
	}
	snap, ok := p.opts.Latest()
	if !ok {
		return byLabel, byName
	}
	for i := range snap.Models {
		if m := &snap.Models[i]; m.ServingName != "" && m.ServingName != m.Name {
			byLabel[m.ServingName], byName[m.Name] = m.Name, m.ServingName
		}
	}
	return byLabel, byName
}

// read is k's answer from the cache, or from the one read in flight for
// it, or a new read. The read runs under its own time limit, not the
// first asker's cancellation: others may be waiting on it. Each asker
// stops waiting when its own context ends.
func (p *Provider) read(ctx context.Context, k readKey) (read, error) {
	now := p.opts.Now()
	p.mu.Lock()
	for key, r := range p.cache {
		if now.Sub(r.at) >= p.opts.CacheFor {
			delete(p.cache, key)
		}
	}
	r, ok := p.cache[k]
	p.mu.Unlock()
	if ok {
		return r, nil
	}
	ch := p.flight.DoChan(fmt.Sprintf("%q %d %d %d", k.model, k.start.UnixNano(), k.end.UnixNano(), k.step), func() (any, error) {
		// A read that ended between the look above and this flight
		// starting is in the cache by now: no second read.
		p.mu.Lock()
		r, ok := p.cache[k]
		p.mu.Unlock()
		if ok {
			return r, nil
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opts.Timeout)
		defer cancel()
		// The source's per-query timeout is for a poll's instant queries:
		// this read may take all of its own.
		rctx = history.WithLongRead(rctx, p.opts.Timeout)
		r, err := p.fetch(rctx, k)
		if err != nil {
			return read{}, err
		}
		p.mu.Lock()
		// The newest read of a range replaces the older ones (their ends
		// moved on); a read that found no traffic at all is not kept: a
		// server that began scraping moments ago has some soon.
		for key := range p.cache {
			if key.model == k.model && key.step == k.step && key.end.Sub(key.start) == k.end.Sub(k.start) {
				delete(p.cache, key)
			}
		}
		if len(r.models) > 0 {
			p.cache[k] = r
		}
		p.mu.Unlock()
		return r, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return read{}, res.Err
		}
		return res.Val.(read), nil
	case <-ctx.Done():
		return read{}, fmt.Errorf("waiting for the read: %w", ctx.Err())
	}
}

// fetch sends the three range queries at once.
func (p *Provider) fetch(ctx context.Context, k readKey) (read, error) {
	type answer struct {
		m   model.Matrix
		err error
	}
	ask := func(role fleet.Role, expr string) <-chan answer {
		ch := make(chan answer, 1)
		if expr == "" {
			ch <- answer{}
			return ch
		}
		go func() {
			q, err := p.query(expr, k)
			if err != nil {
				ch <- answer{err: fmt.Errorf("query %s: %w", role, err)}
				return
			}
			m, _, err := p.src.QueryRange(ctx, q, k.start, k.end, k.step)
			if err != nil {
				err = fmt.Errorf("query %s over %s at a %s step: %w", role, human.Duration(k.end.Sub(k.start)), human.Duration(k.step), err)
			}
			ch <- answer{m, err}
		}()
		return ch
	}
	reqs, errs, perf := ask(fleet.RoleRequestRate, p.requests), ask(fleet.RoleErrorRatio, p.errors), ask(fleet.RolePerformance, p.perfQs)
	ra, ea, pa := <-reqs, <-errs, <-perf
	if ra.err != nil {
		return read{}, ra.err
	}
	r := read{at: p.opts.Now(), models: map[string]*modelSeries{}}
	of := func(m model.Metric) *modelSeries {
		l := string(m["model"])
		ms := r.models[l]
		if ms == nil {
			ms = &modelSeries{rates: map[string][]sample{}, errors: map[string][]sample{}, quality: map[string]map[string][]sample{}}
			r.models[l] = ms
		}
		return ms
	}
	for _, s := range ra.m {
		ms := of(s.Metric)
		v := string(s.Metric["version"])
		ms.rates[v] = addSamples(ms.rates[v], s.Values)
	}
	for _, s := range ea.m {
		if ms := r.models[string(s.Metric["model"])]; ms != nil {
			v := string(s.Metric["version"])
			ms.errors[v] = addSamples(ms.errors[v], s.Values)
		}
	}
	for _, s := range pa.m {
		if ms := r.models[string(s.Metric["model"])]; ms != nil {
			v, metric := string(s.Metric["version"]), string(s.Metric["metric"])
			if ms.quality[v] == nil {
				ms.quality[v] = map[string][]sample{}
			}
			ms.quality[v][metric] = addSamples(ms.quality[v][metric], s.Values)
		}
	}
	r.err = errors.Join(ea.err, pa.err)
	return r, nil
}

// query is expr widened to the step, and narrowed to k's model if any.
func (p *Provider) query(expr string, k readKey) (string, error) {
	q, err := widen(expr, k.step)
	if err != nil || k.model == "" {
		return q, err
	}
	return narrow.ToModel(q, k.model)
}

// addSamples appends an answer's values to dst, leaving out those that
// are not numbers.
func addSamples(dst []sample, ps []model.SamplePair) []sample {
	if dst == nil {
		dst = make([]sample, 0, len(ps))
	}
	for _, p := range ps {
		if v := float64(p.Value); !math.IsNaN(v) {
			dst = append(dst, sample{p.Timestamp.Time(), v})
		}
	}
	return dst
}
