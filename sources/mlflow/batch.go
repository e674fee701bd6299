package mlflow

import "context"

// readBatch reads the versions, then the runs, of a batch of models and
// maps each model whose reads all ended. It returns the models ctx stopped
// before that; their versions already read wait in s.pending.
func (s *Source) readBatch(ctx context.Context, cy *readCycle, batch []RegisteredModel) []RegisteredModel {
	var need []RegisteredModel
	for _, m := range batch {
		if p := s.pending[m.Name]; p == nil || p.updated != m.LastUpdatedTimestamp {
			need = append(need, m)
		}
	}
	versions := s.readVersions(ctx, need, &cy.fails)
	for i, m := range need {
		if versions[i] != nil {
			s.pending[m.Name] = &pendingModel{updated: m.LastUpdatedTimestamp, versions: versions[i]}
		}
	}
	s.readRuns(ctx, cy, batch)

	var left []RegisteredModel
	now := s.now()
	for _, m := range batch {
		p := s.pending[m.Name]
		switch {
		case p == nil && ctx.Err() != nil:
			left = append(left, m) // its versions were not read: not tried yet
		case p == nil:
			// Its versions could not be read (logged in fails): an older
			// entry, if any, stays in use.
		case !cy.runsDone(p.versions, s.runs):
			left = append(left, m)
		default:
			s.models[m.Name] = s.entry(m, p.versions, cy.runFailed, now)
			delete(s.pending, m.Name)
		}
	}
	return left
}

// readVersions lists the versions of each model; a nil slot failed or was
// not reached.
func (s *Source) readVersions(ctx context.Context, models []RegisteredModel, fails *failures) [][]ModelVersion {
	out := make([][]ModelVersion, len(models))
	forEach(ctx, s.c.concurrency, len(models), func(i int) {
		vs, err := s.c.AllModelVersions(ctx, models[i].Name)
		if err != nil {
			if ctx.Err() == nil {
				fails.add(err)
			}
			return
		}
		if vs == nil {
			vs = []ModelVersion{}
		}
		out[i] = vs
	})
	return out
}

// readRuns fetches the runs the batch's versions name that are neither
// cached as settled nor read already in this cycle.
func (s *Source) readRuns(ctx context.Context, cy *readCycle, batch []RegisteredModel) {
	var ids []string
	want := map[string]bool{}
	for _, m := range batch {
		p := s.pending[m.Name]
		if p == nil {
			continue
		}
		for _, v := range p.versions {
			if id := v.RunID; id != "" && !want[id] && !cy.runKnown(id, s.runs) {
				want[id] = true
				ids = append(ids, id)
			}
		}
	}
	got := make([]*runSummary, len(ids))
	failed := make([]bool, len(ids))
	forEach(ctx, s.c.concurrency, len(ids), func(i int) {
		run, err := s.c.GetRun(ctx, ids[i])
		switch {
		case err == nil:
			got[i] = summarize(run)
		case IsNotFound(err):
			// Deleted runs stay deleted: remember that instead of asking again.
			got[i] = &runSummary{gone: true}
		case isDenied(err):
			// Lasting, unlike an outage: report it, but do not re-read the
			// model every poll because of it.
			got[i] = &runSummary{denied: true}
			cy.fails.add(err)
		case ctx.Err() != nil:
			// Not an answer: the run is read in the next call.
		default:
			failed[i] = true
			cy.fails.add(err)
		}
	})
	for i, id := range ids {
		switch {
		case got[i] != nil:
			s.runs[id] = got[i]
			cy.runsRead[id] = true
		case failed[i]:
			cy.runFailed[id] = true // an older copy, if any, stays in use
		}
	}
}
