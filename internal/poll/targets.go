package poll

import (
	"slices"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// TargetReporter may be implemented by a metrics source that scrapes
// exporters itself (the built-in engine): the poller shows which are down
// and holds the last values of the versions they export.
type TargetReporter interface {
	ScrapeTargets() []fleet.ScrapeTarget
}

// scrapeTargets reads the source's targets; nil when it has none.
func (p *Poller) scrapeTargets() []fleet.ScrapeTarget {
	if tr, ok := p.opts.Metrics.(TargetReporter); ok {
		return tr.ScrapeTargets()
	}
	return nil
}

// staleVersions maps each (model, version) exported by a down target to
// when its data was last fresh (the earliest last success of the down
// targets exporting it). Targets are read before and after the queries: a
// target that failed or recovered while they ran counts as down, so its
// versions keep held values rather than an answer that may lack them.
func staleVersions(reads ...[]fleet.ScrapeTarget) map[fleet.ModelVersion]time.Time {
	var out map[fleet.ModelVersion]time.Time
	for _, targets := range reads {
		for _, t := range targets {
			if t.Up || t.LastSuccess.IsZero() {
				continue
			}
			if out == nil {
				out = map[fleet.ModelVersion]time.Time{}
			}
			for _, mv := range t.Series {
				if at, ok := out[mv]; !ok || t.LastSuccess.Before(at) {
					out[mv] = t.LastSuccess
				}
			}
		}
	}
	return out
}

// withHeld is the query's answer with the samples of stale versions
// replaced by the last ones seen while they were fresh: the engine marks a
// down target's series stale, so the answer lacks them (or holds them
// decaying), and the dashboard is to show the last values with their age.
// held is what was returned last time.
func (q *queryState) withHeld(stale map[fleet.ModelVersion]time.Time) model.Vector {
	if len(stale) == 0 {
		q.held = q.vec
		return q.vec
	}
	isStale := func(s *model.Sample) bool {
		_, ok := stale[fleet.ModelVersion{Model: string(s.Metric[labelModel]), Version: string(s.Metric[labelVersion])}]
		return ok
	}
	out := make(model.Vector, 0, len(q.vec))
	for _, s := range q.vec {
		if !isStale(s) {
			out = append(out, s)
		}
	}
	for _, s := range q.held {
		if isStale(s) {
			out = append(out, s)
		}
	}
	q.held = slices.Clip(out)
	return q.held
}

// targetsStatus adds the targets to the source's status: with every
// target down the source has failed (its data as old as the freshest
// target's); with some down, a warning names how many, so that nothing
// reading only OK and the warnings takes the answer as whole.
func targetsStatus(st fleet.SourceStatus, targets []fleet.ScrapeTarget) fleet.SourceStatus {
	if targets == nil {
		return st
	}
	st.Targets = slices.Clone(targets)
	down, total := st.TargetsDown()
	switch {
	case down == 0:
	case down == total && st.OK:
		st.OK, st.Error = false, st.TargetsSummary()
		st.LastSuccess = time.Time{}
		for _, t := range targets {
			if t.LastSuccess.After(st.LastSuccess) {
				st.LastSuccess = t.LastSuccess
			}
		}
	default:
		st.Warnings = append([]string{st.TargetsSummary()}, st.Warnings...)
	}
	return st
}
