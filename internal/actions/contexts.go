package actions

import (
	"fmt"
	"sync"
)

// planned remembers, for this process, the context each plan id was made
// in: with several contexts open (the dashboard's :ctx), a plan's id
// confirmed through another context's executor is refused even when the
// request does not say its context.
var planned = struct {
	sync.Mutex
	in map[string]string // plan id -> context
}{in: map[string]string{}}

func plannedIn(id, context string) {
	planned.Lock()
	defer planned.Unlock()
	if len(planned.in) >= maxSeen {
		clear(planned.in)
	}
	planned.in[id] = context
}

// otherContext says why req, planned in another context, may not be sent
// by e; "" when it belongs here.
func (e *Executor) otherContext(req Request) string {
	from := req.Context
	if from == "" {
		planned.Lock()
		from = planned.in[req.ID]
		planned.Unlock()
	}
	if from == e.context || req.Context == "" && from == "" {
		return ""
	}
	return fmt.Sprintf("this plan was made in context %s, not %s: actions never cross contexts (plan it again in %s)",
		contextName(from), contextName(e.context), contextName(e.context))
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
