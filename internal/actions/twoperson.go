package actions

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/mltop/mltop/internal/audit"
)

// needsSecond reports whether an action on a model with these tags waits
// for a second operator (actions.two_person). Tags unknown (no snapshot,
// registry unreachable) count as needing one, when the rule is set.
func (e *Executor) needsSecond(tags map[string]string) bool {
	if len(e.twoPerson) == 0 {
		return false
	}
	if tags == nil {
		return true
	}
	for tag, values := range e.twoPerson {
		if v, ok := tags[tag]; ok && slices.Contains(values, v) {
			return true
		}
	}
	return false
}

// ApprovalTTL is how long a request waits for its second operator.
func (e *Executor) ApprovalTTL() time.Duration { return e.approvalTTL }

// NeedsSecondText is what an action that needs a second operator says
// where none can approve it here.
const NeedsSecondText = "needs a second operator: run it under mltop serve, or approve it there"

// checkApproval says why req may not be sent on the approval it names;
// "" when the audit log holds an approval by another operator of this
// model, action and change, not expired, rejected nor used. On success
// req.approvedBy names the approver.
func (e *Executor) checkApproval(req *Request, s Spec, pr *prepared) string {
	if req.Approval == "" {
		return fmt.Sprintf("%s %s (from the command line, --approved-by ID names an approval recorded in the audit log)", req.Model, NeedsSecondText)
	}
	_, after := pr.adapter.change(pr.data)
	var found *audit.Record
	var closed audit.State
	used := false
	_, err := e.audit.Scan(func(r audit.Record) error {
		switch {
		case r.ID == req.Approval && r.State == audit.Approved:
			found = &r
		case r.ID == req.Approval && (r.State == audit.Rejected || r.State == audit.Expired):
			closed = r.State
		case r.Approval == req.Approval && r.State == audit.Requested:
			used = true
		}
		return nil
	})
	switch {
	case err != nil:
		return "the audit log could not be read to check the approval: " + err.Error()
	case closed != "":
		return fmt.Sprintf("approval %s was %s", req.Approval, closed)
	case found == nil:
		return fmt.Sprintf("no approval %s in the audit log", req.Approval)
	case used:
		return fmt.Sprintf("approval %s was already used: one approval sends one request", req.Approval)
	case found.Model != req.Model || found.Action != s.Action:
		return fmt.Sprintf("approval %s is for %s on %s, not %s on %s", req.Approval, found.Action, found.Model, s.Action, req.Model)
	case !maps.Equal(found.After, after):
		return fmt.Sprintf("approval %s was for another change (%s), not this one (%s)", req.Approval, changeText(found.After), changeText(after))
	case !e.now().Before(found.Time.Add(e.approvalTTL)):
		return fmt.Sprintf("approval %s expired at %s", req.Approval, found.Time.Add(e.approvalTTL).UTC().Format(time.RFC3339))
	case found.Actor.User == "" || found.Actor.User == req.Actor.User:
		return fmt.Sprintf("approval %s is %s's own: a second operator must approve", req.Approval, orSomeone(req.Actor.User))
	case !s.Permits(found.Actor.Role):
		return fmt.Sprintf("approval %s is by %s, whose role (%s) may not run %s", req.Approval, found.Actor.User, found.Actor.Role, s.Action)
	}
	// One approval sends one request, also when two use it at once.
	if !e.claim("approval:" + req.Approval) {
		return fmt.Sprintf("approval %s was already used: one approval sends one request", req.Approval)
	}
	req.approvedBy = found.Actor.User
	return ""
}

func changeText(m map[string]string) string {
	if len(m) == 0 {
		return "nothing named"
	}
	keys := slices.Sorted(maps.Keys(m))
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		out += k + " " + m[k]
	}
	return out
}
