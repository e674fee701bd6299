package fleetscreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// staleness says whether a column's values are older than the snapshot,
// and since when (zero: never fetched); which inputs make them so is the
// judge's rule (judge.RolesStale, judge.RegistryStale).
type staleness = judge.Staleness

// versionStale reports whether column d's cell on version v shows values
// held from an exporter that is down: drawn dimmed like a failing source's.
// Model-wide columns (the rollout) and the trend window age on their own.
func versionStale(v *fleet.Version, d *colDef) bool {
	return v != nil && !v.StaleSince.IsZero() && len(d.roles) > 0 && !d.modelWide && !d.history
}

// staleColumns finds the columns drawn from a failing query or source:
// a column is as stale as the roles it reads, and a baseline column as
// the registry.
func staleColumns(s *fleet.Snapshot) []staleness {
	out := make([]staleness, numCols)
	if s == nil {
		return out
	}
	registry := judge.RegistryStale(s)
	for id := range fleetColumns {
		d := &fleetColumns[id]
		out[id] = judge.RolesStale(s, d.roles...)
		if d.baseline {
			out[id].Add(registry)
		}
	}
	return out
}
