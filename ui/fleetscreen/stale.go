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

// versionStale reports whether column d's cell on version v shows values
// held from an exporter that is down: drawn dimmed like a failing source's.
// Model-wide columns (the rollout) and the trend window age on their own.
func versionStale(v *fleet.Version, d *colDef) bool {
	return v != nil && !v.StaleSince.IsZero() && len(d.roles) > 0 && !d.modelWide && !d.history
}

// registryKinds are source kinds that feed the registry, not metrics.
var registryKinds = map[string]bool{"mlflow": true}

// staleColumns finds the columns drawn from a failing query or source. A
// source named by a query feeds metrics; without queries, the kind decides.
func staleColumns(s *fleet.Snapshot) []staleness {
	out := make([]staleness, numCols)
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
		for id := range fleetColumns {
			d := &fleetColumns[id]
			if registry && d.baseline || !registry && len(d.roles) > 0 {
				out[id].mark(src.LastSuccess)
			}
		}
	}
	for _, q := range s.Queries {
		if q.OK {
			continue
		}
		for id := range fleetColumns {
			for _, r := range fleetColumns[id].roles {
				if r == q.Role {
					out[id].mark(q.LastSuccess)
				}
			}
		}
	}
	return out
}
