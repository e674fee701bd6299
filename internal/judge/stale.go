package judge

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// Staleness says whether some values are older than the snapshot: Since
// is the oldest last success behind them (zero: never fetched), Queries
// and Sources what failed, in the snapshot's order.
type Staleness struct {
	Stale   bool
	Since   time.Time
	Queries []fleet.QueryStatus
	Sources []fleet.SourceStatus
}

// mark records one failing input; the oldest last success wins, and an
// input that never succeeded makes the values "never fetched".
func (st *Staleness) mark(last time.Time) {
	if !st.Stale || last.IsZero() || (!st.Since.IsZero() && last.Before(st.Since)) {
		st.Since = last
	}
	st.Stale = true
}

// Add folds o into st: stale when either is, since the older.
func (st *Staleness) Add(o Staleness) {
	if !o.Stale {
		return
	}
	st.mark(o.Since)
	st.Queries = append(st.Queries, o.Queries...)
	st.Sources = append(st.Sources, o.Sources...)
}

// RegistryKind reports whether a source kind feeds the registry (models,
// versions, baselines) rather than metrics.
func RegistryKind(kind string) bool { return kind == "mlflow" }

// metricSources are the sources live figures come from: every source a
// query names, and any source that is not a registry.
func metricSources(s *fleet.Snapshot) map[string]bool {
	named := map[string]bool{}
	for _, q := range s.Queries {
		named[q.Source] = true
	}
	for _, src := range s.Sources {
		if !RegistryKind(src.Kind) && src.Judged() {
			named[src.Name] = true
		}
	}
	return named
}

// RolesStale is the one rule for "these values are old": values of the
// roles are stale when a query of one of them failed (a failed query
// keeps its last good values) or a metrics source did. The registry being
// down never makes live figures stale.
func RolesStale(s *fleet.Snapshot, roles ...fleet.Role) Staleness {
	var st Staleness
	if s == nil || len(roles) == 0 {
		return st
	}
	for _, q := range s.Queries {
		if !q.OK && hasRole(roles, q.Role) {
			st.mark(q.LastSuccess)
			st.Queries = append(st.Queries, q)
		}
	}
	metrics := metricSources(s)
	for _, src := range s.Sources {
		if !src.OK && metrics[src.Name] {
			st.mark(src.LastSuccess)
			st.Sources = append(st.Sources, src)
		}
	}
	return st
}

// RegistryStale says whether what the registry gave (baselines, lineage)
// is old: a registry source failed its last read.
func RegistryStale(s *fleet.Snapshot) Staleness {
	var st Staleness
	if s == nil {
		return st
	}
	metrics := metricSources(s)
	for _, src := range s.Sources {
		if !src.OK && !metrics[src.Name] && src.Judged() {
			st.mark(src.LastSuccess)
			st.Sources = append(st.Sources, src)
		}
	}
	return st
}

func hasRole(roles []fleet.Role, r fleet.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// staleness says whether a version's figures are older than the snapshot:
// the one rule for "stale data for this version". A version's figures
// come from the metrics source's queries, so it is stale when the roles
// health is judged from are (RolesStale), or when the scrape target that
// exports it is down (the built-in engine holds its last values and the
// merge sets StaleSince); Since is the oldest of their last successes.
func (c Config) staleness(s *fleet.Snapshot, v *fleet.Version) (bool, time.Time) {
	if s == nil || !v.Serving {
		return false, time.Time{}
	}
	var st Staleness
	if !v.StaleSince.IsZero() {
		st.mark(v.StaleSince)
	}
	st.Add(RolesStale(s, c.HealthRoles()...))
	return st.Stale, st.Since
}

// healthRoles are the roles health is judged from: when one of their
// queries fails, health rests on old figures.
var healthRoles = []fleet.Role{
	fleet.RoleRequestRate, fleet.RoleErrorRatio, fleet.RolePerformance,
	fleet.RoleLabelAge, fleet.RoleLabelsInWindow, fleet.RoleDriftScore,
	fleet.RoleRolloutInfo,
}

// HealthRoles are healthRoles and the roles of the service-level checks
// that are on: a failed burn-rate query makes health stale only when the
// burn rate is judged.
func (c Config) HealthRoles() []fleet.Role {
	out := healthRoles
	t := c.Thresholds
	if t.LatencyP95 > 0 {
		out = append(out[:len(out):len(out)], fleet.RoleLatencyBuckets)
	}
	if t.SilentShare > 0 {
		out = append(out[:len(out):len(out)], fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore)
	}
	if t.Availability > 0 {
		out = append(out[:len(out):len(out)], fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket)
	}
	return out
}

// DriftRoles are the roles drift values come from: exported scores, and
// the feature and prediction histograms drift is computed from, and the
// missing-value counts data quality reads beside them.
var DriftRoles = append([]fleet.Role{fleet.RoleDriftScore, fleet.RoleFeatureMissing, fleet.RoleFeatureMissingRef}, fleet.HistogramRoles...)
