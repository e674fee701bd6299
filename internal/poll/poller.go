package poll

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/merge"
)

// Options configure a Poller. Zero values take the documented defaults.
type Options struct {
	Metrics  MetricsSource  // may be nil (registry only)
	Queries  []Query        // one per role (or more); sent once per refresh each
	Registry RegistrySource // may be nil
	// Alerts is read every refresh, beside the queries; nil: no alerts.
	Alerts          AlertSource
	Refresh         time.Duration // default 5s
	RegistryRefresh time.Duration // default 60s; the registry is read on its own schedule and reused between reads
	// Deadline is how long a refresh waits for its queries; default
	// Refresh, at least 2s. Set it from the queries' own time limit: a
	// query may then take longer than Refresh, and Run skips the ticks it
	// overran rather than cutting it short.
	Deadline time.Duration
	// Judge is what every snapshot is judged against (judge.FromConfig);
	// zero thresholds: judge.Default's.
	Judge judge.Config
	// Drift computes drift from the feature histogram roles, keeping what
	// has not changed between refreshes; nil: one with Judge's drift
	// thresholds and method auto.
	Drift        *histdrift.Calculator
	ServingAlias string // default "champion": which version the registry says serves
	// Context names the config context polled, stamped on every snapshot.
	Context string
	// Profiles are the profiles the queries read and how they were
	// chosen, shown in the metrics source's status; nil: not said.
	Profiles       *fleet.Profiles
	CandidateAlias string            // default "challenger"
	ModelNames     map[string]string // serving name (model label) -> registered model name
	// Estimate configures the quality estimated without labels (CBPE).
	Estimate   merge.EstimateConfig
	MaxBackoff time.Duration // default 1m
	Logger     *slog.Logger
	Now        func() time.Time // injectable clock
	Jitter     func() float64   // returns [0,1); default math/rand/v2
	// OnRegistry, when set, is called with each registry read that
	// succeeded and the time of the read (the registry history records
	// what changed). It runs on the poller's goroutine: keep it short.
	OnRegistry func(fleet.Registry, time.Time)
	// At, when set, is the past time every query is evaluated at and the
	// snapshot is taken at (looking back): windows, staleness and ages all
	// end there. Now still times the calls. A poller with At is for one
	// PollOnce, never for Run.
	At time.Time
}

// Defaults.
const (
	DefaultRefresh         = 5 * time.Second
	DefaultRegistryRefresh = time.Minute
	DefaultMaxBackoff      = time.Minute
	minDefaultDeadline     = 2 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Refresh <= 0 {
		o.Refresh = DefaultRefresh
	}
	if o.RegistryRefresh <= 0 {
		o.RegistryRefresh = DefaultRegistryRefresh
	}
	if o.Deadline <= 0 {
		o.Deadline = max(o.Refresh, minDefaultDeadline)
	}
	if o.Judge.Thresholds == (fleet.Thresholds{}) {
		o.Judge.Thresholds = fleet.DefaultThresholds
	}
	if o.Judge.DriftShare <= 0 {
		o.Judge.DriftShare = judge.DefaultDriftShare
	}
	if o.ServingAlias == "" {
		o.ServingAlias = "champion"
	}
	if o.CandidateAlias == "" {
		o.CandidateAlias = "challenger"
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.Refresh)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	o.Queries = slices.Clone(o.Queries)
	return o
}

// Poller queries the sources on a schedule, merges what they say into
// snapshots and publishes them on its Hub. A failing source keeps its last
// good values (marked stale) and is retried with backoff.
type Poller struct {
	opts  Options
	log   *slog.Logger
	hub   *Hub
	stats counters

	mu       sync.Mutex // one refresh at a time; guards everything below
	queries  []queryState
	metrics  sourceState
	registry sourceState
	alerts   alertState
	reg      *fleet.Registry // last good read; nil until one succeeds
	regNext  time.Time       // next scheduled registry read
	drift    *histdrift.Calculator
	estimate *merge.Estimator
	targets  []fleet.ScrapeTarget             // the engine's scrape targets, as of the latest refresh
	stale    map[fleet.ModelVersion]time.Time // versions whose exporter is down -> last fresh
	// lastReg is reg for readers outside a refresh, which holds mu.
	lastReg atomic.Pointer[fleet.Registry]
}

// sourceState is one backend's status as last shown, and its backoff.
type sourceState struct {
	status  fleet.SourceStatus
	backoff backoff
}

// New returns a poller; nothing is queried until PollOnce or Run.
func New(opts Options) *Poller {
	o := opts.withDefaults()
	p := &Poller{opts: o, log: o.Logger, hub: NewHub(), drift: o.Drift, estimate: merge.NewEstimator()}
	if p.drift == nil {
		p.drift = histdrift.New(histdrift.Options{Thresholds: o.Judge.DriftThresholds})
	}
	p.queries = make([]queryState, len(o.Queries))
	for i, q := range o.Queries {
		p.queries[i].q = q
	}
	if o.Metrics != nil {
		p.metrics = newSourceState(o.Metrics.Name(), o.Metrics.Kind(), o)
		p.metrics.status.Profiles = o.Profiles
	}
	if o.Registry != nil {
		p.registry = newSourceState(o.Registry.Name(), o.Registry.Kind(), o)
	}
	if o.Alerts != nil {
		p.alerts.sourceState = newSourceState(o.Alerts.Name(), o.Alerts.Kind(), o)
	}
	return p
}

func newSourceState(name, kind string, o Options) sourceState {
	return sourceState{
		status:  fleet.SourceStatus{Name: name, Kind: kind},
		backoff: backoff{base: o.Refresh, max: o.MaxBackoff},
	}
}

// Hub is where snapshots are published.
func (p *Poller) Hub() *Hub { return p.hub }

// Registry returns the last registry read that succeeded, or nil. The
// registry is replaced on each read, never changed: callers must not change
// it either.
func (p *Poller) Registry() *fleet.Registry { return p.lastReg.Load() }

// Options are the options the poller runs with, defaults filled in: a
// poll of a past time (At) is made with the same sources, queries and
// judgement.
func (p *Poller) Options() Options {
	o := p.opts
	o.Queries = slices.Clone(o.Queries)
	return o
}

// Stats returns the running totals.
func (p *Poller) Stats() Stats { return p.stats.snapshot() }

// PollOnce runs one refresh: it queries the sources that are due (a source
// in backoff is skipped and its last good values reused), merges, publishes
// and returns the snapshot.
func (p *Poller) PollOnce(ctx context.Context) fleet.Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.opts.Now()
	if !p.opts.At.IsZero() {
		now = p.opts.At
	}
	before := p.scrapeTargets()
	var wg sync.WaitGroup
	if p.opts.Metrics != nil && len(p.queries) > 0 && p.metrics.backoff.due(now) {
		wg.Go(func() { p.queryMetrics(ctx, now) })
	}
	if p.opts.Registry != nil && !now.Before(p.regNext) && p.registry.backoff.due(now) {
		wg.Go(func() { p.readRegistry(ctx, now) })
	}
	if p.opts.Alerts != nil && p.alerts.backoff.due(now) {
		wg.Go(func() { p.readAlerts(ctx, now) })
	}
	wg.Wait()
	p.targets = p.scrapeTargets()
	p.stale = staleVersions(before, p.targets)
	snap := p.snapshot(now)
	p.stats.refreshes.Add(1)
	p.hub.Publish(snap)
	return snap
}

// Run refreshes at once and then every Refresh until ctx is done, when it
// returns nil. A refresh that overruns Refresh (a server slower than the
// refresh, within the query time limit) is not cut short: the ticks it
// overran are skipped, and the next refresh starts on the next tick.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		start := p.opts.Now()
		p.PollOnce(ctx)
		elapsed := p.opts.Now().Sub(start)
		wait, skipped := untilNextTick(elapsed, p.opts.Refresh)
		if skipped > 0 {
			p.stats.skippedTicks.Add(uint64(skipped))
			p.log.Debug("refresh took longer than the refresh interval; ticks skipped", "took", elapsed, "skipped", skipped)
		}
		t.Reset(wait)
	}
}

// untilNextTick is how long after a refresh that took elapsed the next one
// starts, keeping to the ticks of every refresh since the refresh began,
// and how many ticks the refresh overran.
func untilNextTick(elapsed, refresh time.Duration) (wait time.Duration, skipped int) {
	if elapsed < refresh {
		return refresh - max(elapsed, 0), 0
	}
	skipped = int(elapsed / refresh)
	return refresh - elapsed%refresh, skipped
}

// snapshot assembles what is known at now; callers hold p.mu.
func (p *Poller) snapshot(now time.Time) fleet.Snapshot {
	vectors := make(map[fleet.Role]model.Vector, len(p.queries))
	var tables map[fleet.Role]*labelrows.Table
	for i := range p.queries {
		q := &p.queries[i]
		if q.tab.Len() > 0 {
			tables = p.addTable(tables, q)
		}
		vec := q.withHeld(p.stale)
		if len(vec) == 0 {
			continue
		}
		// Clip so that a second query of the same role copies rather than
		// appends into the first one's backing array.
		vectors[q.q.Role] = append(slices.Clip(vectors[q.q.Role]), vec...)
	}
	merged := merge.Merge(vectors, p.reg, merge.MergeConfig{
		DriftThresholds: p.opts.Judge.DriftThresholds,
		ServingAlias:    p.opts.ServingAlias,
		CandidateAlias:  p.opts.CandidateAlias,
		ModelNames:      p.opts.ModelNames,
		Drift:           p.drift,
		Histograms:      tables,
		Now:             now,
		Stale:           p.stale,
		VerdictWindow:   p.opts.Judge.Comparisons.VerdictWindow(),
		Estimate:        p.opts.Estimate,
		Estimator:       p.estimate,
	})
	if merged.Unlabelled > 0 {
		p.log.Debug("ignored samples without a model label", "samples", merged.Unlabelled)
	}
	snap := fleet.Snapshot{TakenAt: now, Context: p.opts.Context, Models: merged.Models, ServingAlias: p.opts.ServingAlias}
	if p.opts.Metrics != nil {
		snap.Sources = append(snap.Sources, targetsStatus(cloneStatus(p.metrics.status), p.targets))
		snap.Queries = make([]fleet.QueryStatus, 0, len(p.queries))
		for i := range p.queries {
			if !p.queries[i].notAsked {
				snap.Queries = append(snap.Queries, p.queries[i].status(p.metrics.status.Name))
			}
		}
	}
	if p.opts.Registry != nil {
		snap.Sources = append(snap.Sources, cloneStatus(p.registry.status))
	}
	judge.Snapshot(&snap, p.opts.Judge)
	if p.opts.Alerts != nil {
		snap.Sources = append(snap.Sources, cloneStatus(p.alerts.status))
		var metrics *fleet.SourceStatus
		if p.opts.Metrics != nil {
			metrics = &p.metrics.status
		}
		attachAlerts(&snap, &p.alerts, metrics)
	}
	return snap
}

// addTable files q's table under its role. A second query of the same role
// is appended to a copy: rare, and then the drift calculator sees a new
// table on every refresh.
func (p *Poller) addTable(tables map[fleet.Role]*labelrows.Table, q *queryState) map[fleet.Role]*labelrows.Table {
	if tables == nil {
		tables = make(map[fleet.Role]*labelrows.Table, 4)
	}
	joined, err := labelrows.Concat(tables[q.q.Role], q.tab)
	if err != nil {
		p.log.Warn("histogram answers not joined", "query", q.q.Name, "err", err)
		return tables
	}
	tables[q.q.Role] = joined
	return tables
}

func cloneStatus(s fleet.SourceStatus) fleet.SourceStatus {
	s.Warnings = slices.Clone(s.Warnings)
	return s
}
