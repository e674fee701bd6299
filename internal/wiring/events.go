package wiring

import (
	"context"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/events"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/prometheus"
)

// Events lists what happened to a model over a range, oldest first, for
// the markers on the dashboard's graphs (*events.Collector).
type Events interface {
	Events(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error)
}

// eventSources are the parts of the app events come from. Served and
// Registry are the serving and registry histories: nil until they are
// built, and then each is one field here.
type eventSources struct {
	cfg      *config.Config
	metrics  poll.MetricsSource
	queries  []poll.Query
	poller   *poll.Poller
	drift    DriftHistory
	served   events.ServedHistory
	registry events.RegistryHistory
}

// newEvents gathers events from what the app has: mltop's own actions from
// the audit log always; with range queries, the rollout step and exported
// drift score roles' changes; ALERTS from a Prometheus that evaluates
// rules (not VictoriaMetrics, whose rules run in vmalert, nor the built-in
// engine, which has none); drift onsets from the computed drift history.
func newEvents(s eventSources) *events.Collector {
	opts := events.Options{
		Audit:    audit.New(expandHome(s.cfg.Audit.Path)).ForContext(s.cfg.ContextName),
		Served:   s.served,
		Registry: s.registry,
		// Prometheus's typical scrape interval, or the engine's own.
		MinStep: 15 * time.Second,
		Timeout: s.cfg.Prometheus.Timeout,
		// The judge's own rule: the configured threshold, else the method's default.
		DriftThreshold: judge.FromConfig(s.cfg).DriftThreshold,
		MetricsName: func(model string) string {
			if snap, ok := s.poller.Hub().Latest(); ok {
				for i := range snap.Models {
					if snap.Models[i].Name == model {
						return snap.Models[i].MetricsName()
					}
				}
			}
			return model
		},
	}
	if s.cfg.Prometheus.URL == "" && s.cfg.Scrape.Interval > 0 {
		opts.MinStep = s.cfg.Scrape.Interval
	}
	if s.drift != nil {
		opts.Drift = s.drift
	}
	if rq, ok := s.metrics.(history.RangeQuerier); ok {
		opts.Metrics = rq
		for _, q := range s.queries {
			switch q.Role {
			case fleet.RoleRolloutStep:
				opts.RolloutStep = q.Expr
			case fleet.RoleDriftScore:
				opts.DriftScore = q.Expr
			}
		}
		opts.Alerts = s.cfg.Prometheus.URL != "" && s.cfg.Prometheus.Backend != prometheus.BackendVictoriaMetrics
	}
	return events.New(opts)
}
