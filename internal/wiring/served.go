package wiring

import (
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/servinghistory"
)

// newServed is the serving history of the configured request-rate,
// error-ratio and quality queries; nil when the metrics source cannot
// answer range queries or no request-rate query is configured. oneModel
// narrows each read to the model asked about, for one-shot commands; the
// dashboard and the actions share the fleet's read.
func (a *App) newServed(metrics poll.MetricsSource, oneModel bool) *servinghistory.Provider {
	rq, ok := metrics.(history.RangeQuerier)
	if !ok {
		return nil
	}
	queries, err := pollQueries(a.Config)
	if err != nil {
		return nil // New reports the queries' error itself
	}
	hq := make([]history.Query, 0, len(queries))
	for _, q := range queries {
		hq = append(hq, history.Query{Role: q.Role, Expr: q.Expr})
	}
	return servinghistory.New(rq, hq, servinghistory.Options{
		MinStep: minStepOf(a.Config), Timeout: max(a.Config.Prometheus.Timeout, servedTimeout),
		Latest: a.latest, PerModel: oneModel,
	})
}

// servedTimeout is the least time a month of the fleet's history gets: a
// poll's limit (prometheus.timeout) is for an instant query.
const servedTimeout = 30 * time.Second

// latest is the poller's latest snapshot, once there is a poller.
func (a *App) latest() (fleet.Snapshot, bool) {
	if a.Poller == nil {
		return fleet.Snapshot{}, false
	}
	return a.Poller.Hub().Latest()
}

// ServedOneModel is serving history for a command that asks about one
// model once: each read narrowed to that model. Nil as Served is.
func (a *App) ServedOneModel() *servinghistory.Provider {
	if a.Served == nil {
		return nil
	}
	return a.newServed(a.metrics, true)
}

// ServedHistory is Served as an interface: nil, not a nil pointer in a
// non-nil interface, when there is none.
func (a *App) ServedHistory() actions.ServedHistory {
	if a.Served == nil {
		return nil
	}
	return a.Served
}

// registeredBaseline is a version's offline evaluation in the poller's
// latest registry read; nil before one, or when the registry lacks it.
func (a *App) registeredBaseline(model, version string) map[string]float64 {
	if a.Poller == nil {
		return nil
	}
	reg := a.Poller.Registry()
	if reg == nil {
		return nil
	}
	for i := range reg.Models {
		if rm := &reg.Models[i]; rm.Name == model {
			for _, v := range rm.Versions {
				if v.Version == version {
					return v.Baseline
				}
			}
		}
	}
	return nil
}
