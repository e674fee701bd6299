// Package wiring turns a Config into running parts: the sources it names,
// one poller over them, and the services viewers use (graphs, drift over
// time, actions). Every command that watches a fleet starts here.
package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift/drifthistory"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/estimatehistory"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/registryhistory"
	"github.com/mltop/mltop/internal/servinghistory"
	"github.com/mltop/mltop/sources/alerts"
	"github.com/mltop/mltop/sources/embedded"
	"github.com/mltop/mltop/sources/mlflow"
)

// App is a running set of sources and their poller.
type App struct {
	Config *config.Config
	Poller *poll.Poller
	// Engine is the built-in engine when there is no Prometheus, else nil.
	Engine *embedded.Engine
	// Metrics is the metrics source (the Prometheus server or Engine);
	// nil with a registry only. The poller and the graphs read it through
	// the recording rules' series where there are some (withRecorded).
	Metrics poll.MetricsSource
	// MLflow is the registry client, nil without a tracking URI.
	MLflow *mlflow.Client
	// PastRegistry is the registry as it was at a past time, for
	// looking back (SnapshotAt): the RegistryHistory below when there is
	// one; nil: a look back shows today's aliases and says so.
	PastRegistry PastRegistry
	// History serves graphs; nil when the metrics source has no range queries.
	History History
	// DriftHistory computes drift over time for the drift screen; nil when
	// the metrics source has no range queries or no feature histograms are
	// configured.
	DriftHistory DriftHistory
	// Events lists what happened to a model over a range for the graphs'
	// markers. Never nil after New: the audit log is always a source.
	Events Events
	// Actions carries out rollbacks, retrains and custom actions, and
	// records them in the audit log. Never nil after New.
	Actions *actions.Executor
	// AlertReader reads the alerts (nil when none are configured); the
	// report asks it which alerting rules are loaded.
	AlertReader *alerts.Reader
	// RegistryHistory records the registry's alias and stage changes at
	// each registry read; nil without a registry or when its file cannot
	// be read.
	RegistryHistory *registryhistory.Log
	// Served says which versions served when, shared by every viewer and
	// the rollback's last known good; nil when the metrics source has no
	// range queries or no request_rate query is configured.
	Served  *servinghistory.Provider
	metrics poll.MetricsSource // what the poller reads (recorded series applied)
	// rules says which alerting rules the Prometheus-compatible server
	// has loaded, for the alerts of a look back; nil without one.
	rules *alerts.Reader

	log     *slog.Logger
	idle    []interface{ CloseIdleConnections() }
	started time.Time
	mu      sync.Mutex
	cancels []context.CancelFunc
	wg      sync.WaitGroup
}

// ErrNoSources means the config names neither a Prometheus nor scrape targets nor a registry.
var ErrNoSources = errors.New("nothing to watch: set prometheus.url, scrape.targets or mlflow.tracking_uri")

// New builds the sources the config names. It starts nothing.
func New(cfg *config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &App{Config: cfg, log: log}
	switch {
	case cfg.Prometheus.URL != "":
		src, idle, err := newPrometheus(cfg, log)
		if err != nil {
			return nil, err
		}
		a.Metrics = src
		if idle != nil {
			a.idle = append(a.idle, idle)
		}
	case len(cfg.Scrape.Targets) > 0:
		eng, err := newEngine(cfg, log)
		if err != nil {
			return nil, err
		}
		a.Metrics, a.Engine = eng, eng
	}
	var registry poll.RegistrySource
	if cfg.MLflow.TrackingURI != "" {
		c, err := mlflow.NewClient(mlflow.Options{TrackingURI: cfg.MLflow.TrackingURI, Logger: log.With("source", "mlflow")})
		if err != nil {
			return nil, fmt.Errorf("mlflow: %w", err)
		}
		a.MLflow = c
		registry = mlflow.NewSource(c, mlflow.SourceOptions{Logger: log.With("source", "mlflow")})
	}
	if a.Metrics == nil && registry == nil {
		return nil, ErrNoSources
	}
	metrics := a.Metrics // what the poller and the graphs read
	var err error
	if src, ok := a.Metrics.(remoteSource); ok && cfg.Prometheus.URL != "" {
		if metrics, err = withRecorded(cfg, src, log); err != nil {
			return nil, err
		}
		namer, isNamer := a.Metrics.(metricNamer)
		if rs, ok := metrics.(remoteSource); ok && isNamer {
			// Detection that could not choose asks again while polling.
			metrics = withRedetect(cfg, rs, namer, log)
		}
	}
	a.metrics = metrics
	a.Served = a.newServed(metrics, false)
	ex, err := newActions(cfg, a.MLflow, log, a.Served, a.registeredBaseline)
	if err != nil {
		return nil, err
	}
	a.Actions = ex
	alertSrc, alertIdle, err := newAlerts(cfg)
	if err != nil {
		return nil, err
	}
	var alertSource poll.AlertSource
	if alertSrc != nil {
		alertSource, a.AlertReader = alertSrc, alertSrc
		if alertIdle != nil {
			a.idle = append(a.idle, alertIdle)
		}
	}
	if a.rules = a.AlertReader; alertSrc == nil || alertSrc.Backend() != alerts.KindRules {
		var rulesIdle interface{ CloseIdleConnections() }
		if a.rules, rulesIdle, err = newRuleReader(cfg); err != nil {
			return nil, err
		}
		if rulesIdle != nil {
			a.idle = append(a.idle, rulesIdle)
		}
	}
	var onRegistry func(fleet.Registry, time.Time)
	if registry != nil {
		if a.RegistryHistory = openRegistryHistory(cfg, log); a.RegistryHistory != nil {
			onRegistry = recordRegistry(a.RegistryHistory, log.With("component", "registryhistory"))
		}
	}
	var queries []poll.Query
	if metrics != nil {
		if queries, err = pollQueries(cfg); err != nil {
			return nil, err
		}
	}
	a.Poller = poll.New(poll.Options{
		Metrics: metrics, Queries: queries, Registry: registry, Alerts: alertSource,
		Refresh: cfg.Refresh, RegistryRefresh: cfg.MLflow.Refresh,
		// A query has prometheus.timeout, however short the refresh (and
		// an alert read alertmanager.timeout): the source's own limit ends
		// it first, with its own message.
		Deadline: sourceTimeout(cfg) + queryDeadlineMargin,
		Judge:    judge.FromConfig(cfg), Drift: histdrift.New(driftOptions(cfg)),
		Context:      cfg.ContextName,
		Profiles:     metricsProfiles(cfg, metrics),
		ServingAlias: cfg.MLflow.ServingAlias, CandidateAlias: cfg.MLflow.CandidateAlias, ModelNames: cfg.MLflow.ModelNames,
		Estimate:   estimateConfig(cfg),
		Logger:     log.With("component", "poll"),
		OnRegistry: onRegistry,
	})
	if metrics != nil {
		minStep := minStepOf(cfg)
		a.History = addEstimates(newHistory(metrics, queries, minStep, cfg.Prometheus.Timeout), metrics, queries, a.Poller,
			estimatehistory.Options{Threshold: cfg.Estimate.Threshold, MinStep: minStep, Timeout: cfg.Prometheus.Timeout})
		a.DriftHistory = newDriftHistory(metrics, queries, a.Poller, drifthistory.Options{
			Drift: driftOptions(cfg), MinStep: minStep, Timeout: cfg.Prometheus.Timeout,
		})
	}
	src := eventSources{cfg: cfg, metrics: metrics, queries: queries, poller: a.Poller, drift: a.DriftHistory}
	if a.Served != nil { // a nil *Provider in the interface would not read as absent
		src.served = a.Served
	}
	if a.RegistryHistory != nil { // nil pointers stay nil interfaces
		src.registry = a.RegistryHistory
		a.PastRegistry = a.RegistryHistory
	}
	a.Events = newEvents(src)
	return a, nil
}

// Start runs the engine's scrapes (if any) in the background. The poller is
// started separately (Run) so one-shot commands can poll by hand.
func (a *App) Start(ctx context.Context) {
	ctx = a.child(ctx)
	a.started = time.Now()
	if a.Engine != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			// One round at once, so the first rates come one interval
			// after start rather than two.
			if err := a.Engine.ScrapeOnce(ctx); err != nil {
				a.log.Warn("first scrape", "err", err)
			}
			a.Engine.Run(ctx)
		}()
	}
}

// minStepOf is the finest step worth asking a range for.
func minStepOf(cfg *config.Config) time.Duration {
	if cfg.Prometheus.URL != "" {
		return 15 * time.Second // a typical scrape interval; finer steps only repeat samples
	}
	return cfg.Scrape.Interval
}

// sourceTimeout is the longest limit a source of one refresh has.
func sourceTimeout(cfg *config.Config) time.Duration {
	if cfg.Alertmanager.URL != "" {
		return max(cfg.Prometheus.Timeout, cfg.Alertmanager.Timeout)
	}
	return cfg.Prometheus.Timeout
}

// queryDeadlineMargin lets a query's own time limit (prometheus.timeout)
// end it before the poller stops waiting for it.
const queryDeadlineMargin = time.Second

// RunPoller polls on the configured interval until ctx is done or the app
// is closed. With the built-in engine it first waits (a bounded time) for
// two scrape rounds, the least a rate needs, so the first snapshot already
// has rates instead of showing every model as not serving.
func (a *App) RunPoller(ctx context.Context) {
	ctx = a.child(ctx)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if a.Engine != nil {
			a.waitScrapes(ctx, 2, 2*a.Config.Scrape.Interval+a.Config.Scrape.Timeout)
		}
		if err := a.Poller.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			a.log.Error("poller stopped", "err", err)
		}
	}()
}

// waitScrapes returns once the engine has completed n scrape rounds, after
// limit, or when ctx ends, whichever is first.
func (a *App) waitScrapes(ctx context.Context, n uint64, limit time.Duration) {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for a.Engine.Scrapes() < n {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}

// child derives a context that Close cancels.
func (a *App) child(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	a.mu.Lock()
	a.cancels = append(a.cancels, cancel)
	a.mu.Unlock()
	return ctx
}

// Close stops everything started and waits for it.
func (a *App) Close() {
	a.mu.Lock()
	for _, cancel := range a.cancels {
		cancel()
	}
	a.mu.Unlock()
	a.wg.Wait()
	// Keep-alive connections would otherwise outlive the app.
	for _, c := range a.idle {
		c.CloseIdleConnections()
	}
}
