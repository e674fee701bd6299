package poll

import (
	"context"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// AlertSource reads the alerts firing, pending or suppressed now: the
// metrics server's rule evaluator or Alertmanager (sources/alerts).
// Implementations honour ctx's deadline and clean what the server said.
type AlertSource interface {
	Name() string
	Kind() string
	// Alerts returns every alert, with the warnings of a partial answer.
	Alerts(ctx context.Context) ([]fleet.Alert, []string, error)
}

// alertState is the alert source's status and its latest read.
type alertState struct {
	sourceState
	list  []fleet.Alert // the latest read; nil after a failed one
	known bool
}

// readAlerts reads the alerts under the refresh deadline: one request
// (Alertmanager: two when an alert is silenced), every refresh. A failed
// read leaves the alerts unknown, never empty.
func (p *Poller) readAlerts(ctx context.Context, now time.Time) {
	actx, cancel := context.WithTimeout(ctx, p.opts.Deadline)
	defer cancel()
	start := p.opts.Now()
	list, warnings, err := p.callAlerts(actx)
	dur := p.opts.Now().Sub(start)
	if err != nil && ctx.Err() != nil {
		return // shutting down: not the source's fault
	}
	if br, ok := p.opts.Alerts.(BackendReporter); ok {
		p.alerts.status.Backend = br.Backend()
	}
	if err != nil {
		p.alerts.list, p.alerts.known = nil, false
		p.recordAttempt(&p.alerts.sourceState, "alerts", now, dur, false, plainError(err, actx, p.opts.Deadline), nil)
		return
	}
	p.alerts.list, p.alerts.known = list, true
	p.recordAttempt(&p.alerts.sourceState, "alerts", now, dur, true, "", dedupe(warnings))
}

// callAlerts reads the source; a panic in it is a failed read.
func (p *Poller) callAlerts(ctx context.Context) (list []fleet.Alert, warnings []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("alert source panicked", "panic", v)
			list, warnings, err = nil, nil, fmt.Errorf("source failed: %v", v)
		}
	}()
	return p.opts.Alerts.Alerts(ctx)
}

// attachAlerts gives each model the alerts whose model label is its name
// in the metrics, and counts every alert fleet-wide. It runs after the
// judge: alerts are shown beside health, never counted in it (the rules
// encode the same thresholds).
//
// Alerts read from Alertmanager while the metrics server cannot be read are
// unknown too: that server's rules are what keeps them firing, and
// Alertmanager lets an alert it no longer hears of resolve, so its "none"
// would be a false all-clear.
func attachAlerts(snap *fleet.Snapshot, st *alertState, metrics *fleet.SourceStatus) {
	sum := &fleet.Alerts{Source: st.status.Name, Known: st.known, Error: st.status.Error}
	snap.Alerts = sum
	if st.known && st.status.Backend == fleet.AlertBackendAlertmanager && metrics != nil && metrics.Kind == "prometheus" && !metrics.OK {
		sum.Known = false
		sum.Error = "the metrics server, whose rules send the alerts, cannot be read (" + metrics.Error +
			"): Alertmanager lets alerts it no longer hears of resolve"
	}
	if !sum.Known {
		return
	}
	byName := make(map[string]int, len(snap.Models))
	for i := range snap.Models {
		byName[snap.Models[i].MetricsName()] = i
		snap.Models[i].Alerts = []fleet.Alert{}
	}
	for _, a := range st.list {
		sum.Count(a.State)
		i, ok := byName[a.Model]
		if a.Model == "" || !ok {
			sum.Unattached = append(sum.Unattached, a)
			continue
		}
		snap.Models[i].Alerts = append(snap.Models[i].Alerts, a)
	}
	for i := range snap.Models {
		fleet.SortAlerts(snap.Models[i].Alerts)
	}
	fleet.SortAlerts(sum.Unattached)
}
