package actions

import (
	"fmt"
)

// maxPlans bounds the plans an executor remembers: past it the oldest is
// forgotten, and its id must be planned again.
const maxPlans = 1024

// planBook is what an executor remembers of the plans it made, the newest
// maxPlans: the target version each read and, in a context, that the id is
// this context's own. Guarded by Executor.mu.
type planBook struct {
	seen  map[string]string // plan id -> the target's version the plan read
	order []string          // plan ids, oldest first
}

// adopt makes id a plan of this executor and returns it. In a context an
// id the executor did not make itself is replaced by a new one: another
// context's id, planned again here, never becomes this context's.
func (e *Executor) adopt(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.plans.seen[id]; ok {
		return id
	}
	if id == "" || e.context != "" {
		id = NewID()
	}
	if len(e.plans.order) >= maxPlans {
		delete(e.plans.seen, e.plans.order[0])
		e.plans.order = e.plans.order[1:]
	}
	e.plans.seen[id] = ""
	e.plans.order = append(e.plans.order, id)
	return id
}

func (e *Executor) planned(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.plans.seen[id]
	return ok
}

// rememberSeen keeps the target version plan id read, for its execution.
func (e *Executor) rememberSeen(id, version string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.plans.seen[id]; ok {
		e.plans.seen[id] = version
	}
}

// takeSeen returns, and forgets, the target version plan id read; ""
// when it was not planned here.
func (e *Executor) takeSeen(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.plans.seen[id]
	if ok {
		e.plans.seen[id] = ""
	}
	return v
}

// otherContext says why req, which names another context, may not be
// planned or sent by e; "" when it belongs here.
func (e *Executor) otherContext(req Request) string {
	if req.Context == "" || req.Context == e.context {
		return "" // a request naming none is judged by its id: notPlannedHere
	}
	return fmt.Sprintf("this plan was made in context %s, not %s: actions never cross contexts (plan it again in %s)",
		req.Context, contextName(e.context), contextName(e.context))
}

// notPlannedHere says why an executor of a context refuses to send id,
// which it did not plan; "" when it did, or has no context.
func (e *Executor) notPlannedHere(id string) string {
	if e.context == "" || e.planned(id) {
		return ""
	}
	return fmt.Sprintf("request %s was not planned in context %s (or too long ago): actions never cross contexts, so plan it again in %s",
		id, e.context, e.context)
}

func contextName(c string) string {
	if c == "" {
		return "(none)"
	}
	return c
}

// readOnlyText is why a read-only executor refuses every action.
func (e *Executor) readOnlyText() string {
	if e.context != "" {
		return fmt.Sprintf("context %s is read-only: actions are disabled in it", e.context)
	}
	return "mltop runs read-only: actions are disabled"
}
