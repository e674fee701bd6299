// Package app wires configured sources into one poller: the part of every
// command that turns a Config into running parts.
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
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/embedded"
	"github.com/mltop/mltop/sources/mlflow"
	"github.com/mltop/mltop/sources/prometheus"
)

// App is a running set of sources and their poller.
type App struct {
	Config *config.Config
	Poller *poll.Poller
	// Engine is the built-in engine when there is no Prometheus, else nil.
	Engine *embedded.Engine
	// Metrics is the metrics source the poller queries (the Prometheus
	// server or Engine); nil with a registry only.
	Metrics poll.MetricsSource
	// MLflow is the registry client, nil without a tracking URI.
	MLflow *mlflow.Client
	// History serves graphs; nil when the metrics source has no range queries.
	History *HistoryProvider
	// DriftHistory computes drift over time for the drift screen; nil when
	// the metrics source has no range queries or no feature histograms are
	// configured.
	DriftHistory *DriftHistoryProvider
	// Actions carries out rollbacks, retrains and custom actions, and
	// records them in the audit log.
	Actions *actions.Executor

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
	var metrics poll.MetricsSource
	switch {
	case cfg.Prometheus.URL != "":
		rt, err := prometheus.Transport(prometheus.Auth{
			Headers: cfg.Prometheus.Headers, BearerTokenFile: cfg.Prometheus.BearerTokenFile,
			Username: cfg.Prometheus.BasicAuth.Username, PasswordFile: cfg.Prometheus.BasicAuth.PasswordFile,
			CAFile: cfg.Prometheus.TLS.CAFile, CertFile: cfg.Prometheus.TLS.CertFile, KeyFile: cfg.Prometheus.TLS.KeyFile,
			InsecureSkipTLS: cfg.Prometheus.TLS.InsecureSkipVerify,
		})
		if err != nil {
			return nil, fmt.Errorf("prometheus: %w", err)
		}
		if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
			a.idle = append(a.idle, c)
		}
		src, err := prometheus.New(prometheus.Options{URL: cfg.Prometheus.URL, Transport: rt, Timeout: cfg.Prometheus.Timeout, Logger: log, Backend: cfg.Prometheus.Backend})
		if err != nil {
			return nil, err
		}
		metrics = src
	case len(cfg.Scrape.Targets) > 0:
		eng, err := embedded.New(embedded.Options{
			Targets: cfg.Scrape.Targets, Interval: cfg.Scrape.Interval, Timeout: cfg.Scrape.Timeout,
			Retention: retention(cfg), Logger: log.With("source", "embedded"),
		})
		if err != nil {
			return nil, fmt.Errorf("embedded engine: %w", err)
		}
		a.Engine = eng
		metrics = eng
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
	if metrics == nil && registry == nil {
		return nil, ErrNoSources
	}
	a.Metrics = metrics
	ex, err := newActions(cfg, a.MLflow, log)
	if err != nil {
		return nil, err
	}
	a.Actions = ex
	var queries []poll.Query
	if metrics != nil {
		qs, err := pollQueries(cfg)
		if err != nil {
			return nil, err
		}
		var roles []fleet.Role
		var exprs []string
		for _, q := range qs {
			queries = append(queries, q)
			roles, exprs = append(roles, q.Role), append(exprs, q.Expr)
		}
		minStep := cfg.Scrape.Interval
		if cfg.Prometheus.URL != "" {
			minStep = 15 * time.Second // a typical scrape interval; finer steps only repeat samples
		}
		a.History = newHistory(metrics, roles, exprs, minStep, cfg.Prometheus.Timeout)
		a.DriftHistory = newDriftHistory(metrics, queries, driftHistoryOptions{
			drift: driftOptions(cfg), minStep: minStep, timeout: cfg.Prometheus.Timeout,
		})
	}
	a.Poller = poll.New(poll.Options{
		Metrics: metrics, Queries: queries, Registry: registry,
		Refresh: cfg.Refresh, RegistryRefresh: cfg.MLflow.Refresh,
		Judge: judge.FromConfig(cfg), Drift: histdrift.New(driftOptions(cfg)),
		ServingAlias: cfg.MLflow.ServingAlias, CandidateAlias: cfg.MLflow.CandidateAlias, ModelNames: cfg.MLflow.ModelNames,
		Logger: log.With("component", "poll"),
	})
	if a.DriftHistory != nil {
		a.DriftHistory.registry = a.Poller.Registry
		a.DriftHistory.servingName = servingNameFrom(a.Poller.Hub())
	}
	return a, nil
}

// retention keeps enough history for a day of graphs plus the longest window.
func retention(cfg *config.Config) time.Duration {
	r := 24*time.Hour + cfg.Window
	if d := cfg.Drift.Window; d > cfg.Window {
		r = 24*time.Hour + d
	}
	return r
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
