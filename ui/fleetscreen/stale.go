package fleetscreen

import (
	"strings"

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

// contextStale is staleColumns per context in a merged fleet (:ctx all),
// where sources and queries are named "CONTEXT NAME": a row is dimmed
// for its own context's failing reads, not for another's. nil when no
// model carries a context.
func contextStale(s *fleet.Snapshot) map[string][]staleness {
	if s == nil {
		return nil
	}
	var out map[string][]staleness
	for i := range s.Models {
		ctx := s.Models[i].Context
		if ctx == "" {
			continue
		}
		if _, done := out[ctx]; done {
			continue
		}
		if out == nil {
			out = map[string][]staleness{}
		}
		out[ctx] = staleColumns(ofContext(s, ctx))
	}
	return out
}

// ofContext is the part of a merged snapshot read from one context: its
// sources and queries.
func ofContext(s *fleet.Snapshot, ctx string) *fleet.Snapshot {
	prefix := ctx + " "
	sub := &fleet.Snapshot{TakenAt: s.TakenAt, Context: ctx}
	for _, src := range s.Sources {
		if strings.HasPrefix(src.Name, prefix) {
			sub.Sources = append(sub.Sources, src)
		}
	}
	for _, q := range s.Queries {
		if strings.HasPrefix(q.Source, prefix) {
			sub.Queries = append(sub.Queries, q)
		}
	}
	return sub
}

// cellStale says whether column id's values on e's rows are held from a
// failing read: in a merged fleet, a read of e's own context.
func (m *Model) cellStale(e *entry, id colID) bool {
	if byCol, ok := m.ctxStale[e.m.Context]; ok && !fleetColumns[id].history {
		return byCol[id].Stale
	}
	return m.stale[id].Stale
}
