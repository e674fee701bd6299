package fleetscreen

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// staleness says whether a column's values are older than the snapshot,
// and since when (zero: never fetched).
type staleness struct {
	stale bool
	since time.Time
}

// mark records one failing input; the oldest last success wins, and an
// input that never succeeded makes the column "never fetched".
func (s *staleness) mark(last time.Time) {
	switch {
	case !s.stale:
		s.since = last
	case s.since.IsZero():
	case last.IsZero() || last.Before(s.since):
		s.since = last
	}
	s.stale = true
}

// columnRoles are the queries behind each column's values.
var columnRoles = map[colID][]fleet.Role{
	colVersion: {fleet.RoleTrafficWeight},
	colRPS:     {fleet.RoleRequestRate},
	colP95:     {fleet.RoleLatencyP95, fleet.RoleLatencyMean},
	colErr:     {fleet.RoleErrorRatio},
	colQuality: {fleet.RolePerformance},
	colDrift:   {fleet.RoleDriftScore},
	colLabels:  {fleet.RoleLabelAge, fleet.RoleLabeledFraction},
	colRollout: {fleet.RoleRolloutInfo, fleet.RoleRolloutStep, fleet.RoleRolloutSteps, fleet.RoleRolloutSetWt},
}

// versionStale reports whether a version's cell in column id shows values
// held from an exporter that is down: drawn dimmed like a failing source's.
func versionStale(v *fleet.Version, id colID) bool {
	if v == nil || v.StaleSince.IsZero() || id == colRollout {
		return false
	}
	_, metrics := columnRoles[id]
	return metrics
}

// registryKinds are source kinds that feed the registry, not metrics.
var registryKinds = map[string]bool{"mlflow": true}

// staleColumns finds the columns drawn from a failing query or source. A
// source named by a query feeds metrics; without queries, the kind decides.
func staleColumns(s *fleet.Snapshot) [numCols]staleness {
	var out [numCols]staleness
	if s == nil {
		return out
	}
	named := map[string]bool{}
	for _, q := range s.Queries {
		named[q.Source] = true
	}
	for _, src := range s.Sources {
		if src.OK {
			continue
		}
		registry := !named[src.Name] && (len(s.Queries) > 0 || registryKinds[src.Kind])
		if registry {
			out[colQuality].mark(src.LastSuccess)
			continue
		}
		for col := range columnRoles {
			out[col].mark(src.LastSuccess)
		}
	}
	for _, q := range s.Queries {
		if q.OK {
			continue
		}
		for col, roles := range columnRoles {
			for _, r := range roles {
				if r == q.Role {
					out[col].mark(q.LastSuccess)
				}
			}
		}
	}
	return out
}
