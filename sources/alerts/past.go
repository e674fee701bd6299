package alerts

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// Querier evaluates an instant PromQL query at a time: the metrics source.
type Querier interface {
	Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error)
}

// BackendPast is the backend of an alert source that reads the past.
const BackendPast = "rules at a past time (ALERTS)"

// alertsExpr selects every alert a rule evaluator had pending or firing:
// it writes them as the ALERTS series into the server it evaluates for.
const alertsExpr = `ALERTS{alertstate=~"firing|pending"}`

// Past reads the alerts pending or firing at one past time from the
// ALERTS series a Prometheus-compatible rule evaluator writes. What
// Alertmanager silenced then is not kept anywhere, so no alert is
// suppressed; annotations are not in the series either.
type Past struct {
	q  Querier
	at time.Time
}

// NewPast reads the alerts at at through q.
func NewPast(q Querier, at time.Time) *Past { return &Past{q: q, at: at} }

// Name is the alert source's status name, as the live reader's.
func (p *Past) Name() string { return "alerts" }

// Kind is fleet.SourceKindAlerts.
func (p *Past) Kind() string { return fleet.SourceKindAlerts }

// Backend says the alerts are the ALERTS series at a past time.
func (p *Past) Backend() string { return BackendPast }

// Alerts returns the alerts pending or firing at the past time.
func (p *Past) Alerts(ctx context.Context) ([]fleet.Alert, []string, error) {
	vec, warnings, err := p.q.Query(ctx, alertsExpr, p.at)
	if err != nil {
		return nil, nil, fmt.Errorf("read the ALERTS series: %w", err)
	}
	out := make([]fleet.Alert, 0, min(len(vec), maxAlerts))
	for _, s := range vec {
		if len(out) == maxAlerts {
			break
		}
		labels := make(map[string]string, len(s.Metric))
		for k, v := range s.Metric {
			if k != model.MetricNameLabel && k != "alertstate" {
				labels[string(k)] = string(v)
			}
		}
		state := fleet.AlertPending
		if s.Metric["alertstate"] == "firing" {
			state = fleet.AlertFiring
		}
		out = append(out, alertOf(labels, nil, state, time.Time{}))
	}
	for i := range warnings {
		warnings[i] = text(warnings[i], maxText)
	}
	return out, warnings, nil
}
