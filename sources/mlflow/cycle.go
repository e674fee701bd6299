package mlflow

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// readCycle is one read of the whole registry, which may span several calls
// to Registry: each call goes on where the last one was cut off.
type readCycle struct {
	pages  pager
	listed []RegisteredModel // pages read so far, until the list is complete

	listStart time.Time // when the list being read was begun

	// Set once the list is complete.
	listedAt time.Time
	models   []RegisteredModel // every model, once each
	seen     map[string]bool
	todo     []RegisteredModel // models still to read, in order

	runsRead  map[string]bool // runs answered in this cycle
	runFailed map[string]bool // runs that failed in this cycle (not retried in it)
	fails     failures
}

// listMaxAge is how old a cycle's model list may be when a call resumes
// it; an older one is read again (the work done is kept) so that a read
// resumed after an outage does not publish aliases from before it.
const listMaxAge = time.Minute

// relist starts the model list again when it is too old to resume: older
// than listMaxAge, or than twice what reading it took.
func (cy *readCycle) relist(now time.Time) {
	if cy.seen == nil {
		return
	}
	if now.Sub(cy.listedAt) <= max(listMaxAge, 2*cy.listedAt.Sub(cy.listStart)) {
		return
	}
	cy.pages, cy.listed = pager{}, nil
	cy.models, cy.seen, cy.todo = nil, nil, nil
}

// pendingModel is a model whose versions are read and whose runs are not
// all read yet.
type pendingModel struct {
	updated  Millis
	versions []ModelVersion
}

// runKnown reports whether run id needs no read in this cycle: read or
// failed already, or cached as settled.
func (cy *readCycle) runKnown(id string, cache map[string]*runSummary) bool {
	if cy.runsRead[id] || cy.runFailed[id] {
		return true
	}
	r := cache[id]
	return r != nil && r.settled()
}

// runsDone reports whether every run vs names has been dealt with.
func (cy *readCycle) runsDone(vs []ModelVersion, cache map[string]*runSummary) bool {
	for _, v := range vs {
		if v.RunID != "" && !cy.runKnown(v.RunID, cache) {
			return false
		}
	}
	return true
}

// showProgress publishes how far the cycle has come.
func (s *Source) showProgress(cy *readCycle) {
	p := &fleet.Progress{Unit: "models"}
	if cy.seen == nil {
		p.Done = len(cy.listed)
	} else {
		p.Total = len(cy.models)
		p.Done = p.Total - len(cy.todo)
	}
	s.progress.Store(p)
}
