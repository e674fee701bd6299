// Package events gathers what happened to a model over a range — deploys,
// alias and stage moves, rollout steps, mltop's own actions, drift onsets
// and alerts firing — into one list, oldest first, for the markers on the
// dashboard's graphs and the list under them. Each source is optional; a
// failing one is named in the error while the others' events still come
// back.
package events

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

// ServedHistory says which version served when (internal/servinghistory's
// Provider).
type ServedHistory interface {
	Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error)
}

// RegistryHistory lists the alias and stage changes mltop saw
// (internal/registryhistory's Log).
type RegistryHistory interface {
	Changes(model string, since time.Time) ([]fleet.RegistryChange, error)
}

// AuditLog visits the action log's records, oldest first (*audit.Log).
type AuditLog interface {
	Scan(visit func(audit.Record) error) (torn int, err error)
}

// DriftHistory is drift computed from histograms over a range ending now
// (internal/drift/drifthistory's Provider).
type DriftHistory interface {
	DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error)
}

// Options say where events come from; a nil interface or an empty query
// leaves that kind out.
type Options struct {
	Served   ServedHistory
	Registry RegistryHistory
	Audit    AuditLog
	// Drift computes drift onsets from the feature histograms.
	Drift DriftHistory

	// Metrics answers the range queries below; nil leaves all three out.
	Metrics history.RangeQuerier
	// RolloutStep is the rollout_step role's configured query.
	RolloutStep string
	// DriftScore is the drift_score role's configured query (exported
	// scores); each crosses the threshold DriftThreshold gives its method.
	DriftScore     string
	DriftThreshold func(method string) (float64, bool)
	// Alerts asks the metrics source for ALERTS{alertstate="firing"}, the
	// series a Prometheus rule evaluator writes.
	Alerts bool

	// MetricsName maps a registered model name to the model label its
	// series carry; nil: the same name.
	MetricsName func(model string) string
	// MinStep is the finest step worth asking for (the scrape interval);
	// default 15s.
	MinStep time.Duration
	// Timeout bounds one Events call; default 10s.
	Timeout time.Duration
	// CacheFor is how long an answer serves later asks for the same model
	// and span; default 15s.
	CacheFor time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// steps is about how many points a range query asks for: enough to place
// an event within one column of a wide graph.
const steps = 240

// maxEvents bounds the list, so a flapping alert cannot flood it; the
// newest are kept.
const maxEvents = 500

// Collector merges the events of every configured source. Safe for
// concurrent use: sessions asking for the same model and span at once share
// one collection.
type Collector struct {
	opts   Options
	flight singleflight.Group

	mu    sync.Mutex
	cache map[cacheKey]cached

	// drift is the computed drift history by model and span: the most
	// costly source, and one with nothing new before its next step.
	driftMu sync.Mutex
	drift   map[cacheKey]driftMemo
}

// New returns a Collector over the sources in opts.
func New(opts Options) *Collector {
	if opts.MinStep <= 0 {
		opts.MinStep = 15 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.CacheFor <= 0 {
		opts.CacheFor = 15 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MetricsName == nil {
		opts.MetricsName = func(m string) string { return m }
	}
	return &Collector{opts: opts, cache: map[cacheKey]cached{}, drift: map[cacheKey]driftMemo{}}
}

// Events returns the model's events between from and to, oldest first. With
// some sources failing it returns the others' events and a *PartialError.
func (c *Collector) Events(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	if model == "" || !to.After(from) {
		return nil, fmt.Errorf("events: model %q from %s to %s", model, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	key := cacheKey{model: model, span: to.Sub(from)}
	if evs, err, ok := c.fromCache(key, from, to); ok {
		return evs, err
	}
	// Sessions' clocks tick apart: asks for the same model and span ending
	// within the same CacheFor share one collection, each cut to its own
	// range. Where the range ends is in the key: a look back must not get
	// a live collection's events cut to a range it does not cover.
	flightKey := fmt.Sprintf("%s\x00%d\x00%d", model, key.span, to.Truncate(c.opts.CacheFor).UnixNano())
	ch := c.flight.DoChan(flightKey, func() (any, error) {
		// One collection serves every asker: it is not tied to the first
		// asker's context, only to the timeout.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.Timeout)
		defer cancel()
		evs, err := c.collect(cctx, model, from, to)
		c.store(key, cached{from: from, to: to, at: c.opts.Now(), events: evs, err: err})
		return evs, err
	})
	select {
	case r := <-ch:
		evs, _ := r.Val.([]fleet.Event)
		return within(evs, from, to), r.Err
	case <-ctx.Done():
		return nil, fmt.Errorf("events of %s: %w", model, ctx.Err())
	}
}

// source is one kind of event, collected on its own.
type source struct {
	name    string
	collect func(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error)
}

func (c *Collector) sources() []source {
	o := c.opts
	var out []source
	if o.Served != nil {
		out = append(out, source{"deploys", c.deploys})
	}
	if o.Registry != nil {
		out = append(out, source{"registry history", c.registryMoves})
	}
	if o.Audit != nil {
		out = append(out, source{"audit log", c.actions})
	}
	if o.Metrics != nil && o.RolloutStep != "" {
		out = append(out, source{"rollout steps", c.rolloutSteps})
	}
	if o.Metrics != nil && o.DriftScore != "" {
		out = append(out, source{"exported drift", c.exportedDrift})
	}
	if o.Drift != nil {
		out = append(out, source{"drift history", c.computedDrift})
	}
	if o.Metrics != nil && o.Alerts {
		out = append(out, source{"alerts", c.alerts})
	}
	return out
}

// collect asks every source at once and merges what they say.
func (c *Collector) collect(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	srcs := c.sources()
	got := make([][]fleet.Event, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	for i, s := range srcs {
		wg.Go(func() {
			got[i], errs[i] = s.collect(ctx, model, from, to)
		})
	}
	wg.Wait()
	var all []fleet.Event
	var failed []*SourceError
	for i, s := range srcs {
		all = append(all, got[i]...)
		if errs[i] != nil {
			failed = append(failed, &SourceError{Source: s.name, Err: errs[i]})
		}
	}
	all = within(all, from, to)
	for i := range all {
		all[i].Model = model
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.Before(all[j].Time) })
	if len(all) > maxEvents {
		all = all[len(all)-maxEvents:]
	}
	if len(failed) > 0 {
		return all, &PartialError{Sources: failed}
	}
	return all, nil
}

// within is the events in [from, to], in a new slice.
func within(evs []fleet.Event, from, to time.Time) []fleet.Event {
	out := make([]fleet.Event, 0, len(evs))
	for _, e := range evs {
		if !e.Time.Before(from) && !e.Time.After(to) {
			out = append(out, e)
		}
	}
	return out
}
