package fleet

import (
	"cmp"
	"slices"
	"time"
)

// The states of an alert as mltop shows them. Prometheus says pending or
// firing; Alertmanager says active (firing) or suppressed (silenced or
// inhibited).
const (
	AlertFiring     = "firing"
	AlertPending    = "pending"
	AlertSuppressed = "suppressed"
)

// SourceKindAlerts is the kind of the alert source's status in
// Snapshot.Sources.
const SourceKindAlerts = "alerts"

// AlertBackendAlertmanager is the alert source's backend when alerts are
// read from Alertmanager rather than from a rule evaluator.
const AlertBackendAlertmanager = "alertmanager"

// IsAlerts reports whether s is the alert source's status.
func (s SourceStatus) IsAlerts() bool { return s.Kind == SourceKindAlerts }

// Judged reports whether judged values come from the source, so that its
// failure makes values stale, fails `check` and is waited for at start-up.
// The alert source's is not: its failure makes alerts unknown, nothing
// else, because nothing judged reads alerts.
func (s SourceStatus) Judged() bool { return !s.IsAlerts() }

// Alert is one alert the alert source reported, cleaned of terminal
// controls and bounded in size when it was read.
type Alert struct {
	Name  string // the alertname label
	State string // AlertFiring, AlertPending or AlertSuppressed
	// Since is when the alert became active (Prometheus's activeAt,
	// Alertmanager's startsAt); zero when not said.
	Since    time.Time
	Severity string            // the severity label; "" when none
	Model    string            // the model label; "" when none
	Version  string            // the version label; "" when none
	Labels   map[string]string // every label, alertname included
	// Summary and Description are the annotations of those names.
	Summary     string
	Description string
	// SilencedBy are the silences that suppress it (Alertmanager only),
	// with their author and comment when the silence could be read.
	SilencedBy []Silence
	// InhibitedBy are the fingerprints of the alerts that inhibit it.
	InhibitedBy []string
}

// Silence is an Alertmanager silence as an alert names it.
type Silence struct {
	ID      string
	Author  string // createdBy; "" when the silence could not be read
	Comment string
	Ends    time.Time // zero when unknown
}

// Alerts is what the alert source said in the latest read. Models carry
// their own alerts (Model.Alerts); this is the fleet-wide picture.
type Alerts struct {
	// Source is the name of the alert source's status in Snapshot.Sources.
	Source string
	// Known is false when the latest read failed: then no model has
	// alerts and nothing may be read as "no alerts".
	Known bool
	// Error says why the read failed, in plain words.
	Error string
	// Counts over every alert, attached to a model or not.
	Firing, Pending, Suppressed int
	// Unattached are the alerts without a model label, or whose model is
	// not in the fleet: counted, not attached to a model.
	Unattached []Alert
}

// Total is the number of alerts of every state.
func (a *Alerts) Total() int { return a.Firing + a.Pending + a.Suppressed }

// Count adds one alert of state to the counts.
func (a *Alerts) Count(state string) {
	switch state {
	case AlertFiring:
		a.Firing++
	case AlertPending:
		a.Pending++
	case AlertSuppressed:
		a.Suppressed++
	}
}

// FiringAlerts counts a model's firing alerts.
func (m *Model) FiringAlerts() int {
	n := 0
	for i := range m.Alerts {
		if m.Alerts[i].State == AlertFiring {
			n++
		}
	}
	return n
}

// alertRank orders states: firing first, then pending, then suppressed.
func alertRank(state string) int {
	switch state {
	case AlertFiring:
		return 0
	case AlertPending:
		return 1
	case AlertSuppressed:
		return 2
	}
	return 3
}

// SortAlerts orders alerts firing first, then pending, then suppressed;
// within a state by severity (critical first), then oldest first, then
// by name.
func SortAlerts(as []Alert) { slices.SortStableFunc(as, CompareAlerts) }

// CompareAlerts is SortAlerts's order.
func CompareAlerts(a, b Alert) int {
	return cmp.Or(
		cmp.Compare(alertRank(a.State), alertRank(b.State)),
		cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)),
		a.Since.Compare(b.Since),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Model, b.Model),
		cmp.Compare(a.Version, b.Version),
	)
}

// severityRank puts the usual severities in order; others after them.
func severityRank(s string) int {
	switch s {
	case "critical", "page":
		return 0
	case "error":
		return 1
	case "warning", "warn", "ticket":
		return 2
	case "info":
		return 3
	}
	return 4
}
