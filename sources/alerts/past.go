package alerts

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// RuleLister says which alerting rules the rule evaluator has loaded
// (*Reader of KindRules).
type RuleLister interface {
	AlertRuleNames(ctx context.Context) ([]string, error)
}

// MLTopRulePrefix starts the name of every alerting rule `mltop rules`
// writes.
const MLTopRulePrefix = "MLTop"

// Past reads the alerts pending or firing at one past time from the
// ALERTS series a Prometheus-compatible rule evaluator writes. What
// Alertmanager silenced then is not kept anywhere, so no alert is
// suppressed; annotations are not in the series either. An empty series
// is "none" only when the rule evaluator has mltop's rules: a server that
// evaluates none of them writes no ALERTS whatever happens.
type Past struct {
	q     Querier
	rules RuleLister
	at    time.Time
}

// NewPast reads the alerts at at through q; rules (nil: none to ask) says
// whether an empty answer means no alert or no rule to fire one.
func NewPast(q Querier, rules RuleLister, at time.Time) *Past {
	return &Past{q: q, rules: rules, at: at}
}

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
	if len(vec) == 0 {
		if err := p.rulesLoaded(ctx); err != nil {
			return nil, nil, err
		}
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

// rulesLoaded is nil when the rule evaluator has one of mltop's alerting
// rules loaded now, else why an empty ALERTS answer says nothing. Whether
// the rules were loaded at the past time is not known: the rules API
// answers for the present only.
func (p *Past) rulesLoaded(ctx context.Context) error {
	if p.rules == nil {
		return errors.New("no alert in the ALERTS series, and whether the rule evaluator has mltop's rules cannot be checked here")
	}
	names, err := p.rules.AlertRuleNames(ctx)
	if err != nil {
		return fmt.Errorf("no alert in the ALERTS series, and the rule evaluator's rules cannot be read: %w", err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, MLTopRulePrefix) {
			return nil
		}
	}
	return errors.New("no alert in the ALERTS series, and the rule evaluator has none of mltop's alerting rules to fire one (load `mltop rules`)")
}
