package actions

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/audit"
)

// Approvals holds the actions waiting for a second operator
// (actions.two_person) in one `mltop serve` process, shared by all its
// sessions. Every change is recorded in the audit log: awaiting-approval,
// approved (then the action's own records, naming both people),
// rejected, expired. It is safe for concurrent use.
type Approvals struct {
	e *Executor

	mu      sync.Mutex
	pending map[string]*Pending // by request id
	notices []Notice
	seq     int
}

// Pending is an action waiting for a second operator.
type Pending struct {
	Request   Request // as confirmed by the requester; ID is the approval's id
	Title     string
	Changes   []string // what it would change, in plain words
	Meaning   string
	Before    map[string]string
	After     map[string]string
	Requested time.Time
	Expires   time.Time
}

// Notice tells a requester what became of their request.
type Notice struct {
	Seq    int
	To     string // the requester's user
	ID     string
	Model  string
	Title  string
	State  audit.State // Approved (Result says how it went), Rejected, Expired
	By     string      // the second operator; "" for expired
	Reason string      // a rejection's reason
	Result Result      // the action's outcome, when approved
}

// maxNotices bounds the notices kept for sessions to read.
const maxNotices = 256

// NewApprovals makes an empty store sending through e.
func NewApprovals(e *Executor) *Approvals {
	return &Approvals{e: e, pending: map[string]*Pending{}}
}

// Hold keeps req for a second operator when the model needs one and req
// would otherwise go ahead: it records awaiting-approval and answers
// Outcome Awaiting. held is false when req is for Execute to decide (no
// second operator needed, an approval already named, or a refusal).
func (a *Approvals) Hold(ctx context.Context, req Request) (res Result, held bool) {
	e := a.e
	if req.Approval != "" || req.ID == "" {
		return Result{}, false
	}
	// Another context's plan is never held here: Execute refuses it.
	if e.otherContext(req) != "" || e.notPlannedHere(req.ID) != "" {
		return Result{}, false
	}
	s, ok := e.Spec(req.Action)
	if !ok || e.gate(s, req) != "" || e.requireReason && strings.TrimSpace(req.Reason) == "" {
		return Result{}, false
	}
	limit := timeout(s.cfg)
	pctx, cancel := context.WithTimeout(ctx, limit)
	pr, err := e.prepare(pctx, s, req)
	cancel()
	if err != nil || !pr.second || pr.refusal != "" || pr.typed && strings.TrimSpace(req.Confirm) != req.Model {
		return Result{}, false
	}
	now := e.now()
	p := &Pending{Request: req, Title: s.Title, Requested: now, Expires: now.Add(e.approvalTTL)}
	p.Changes, p.Meaning = pr.adapter.describe(pr.data)
	p.Before, p.After = pr.adapter.change(pr.data)
	res = Result{ID: req.ID, Action: req.Action, Model: req.Model, Outcome: Awaiting, Before: p.Before, After: p.After}

	a.mu.Lock()
	defer a.mu.Unlock()
	if _, dup := a.pending[req.ID]; dup || e.isSent(req.ID) {
		return Result{}, false // Execute refuses the repeat
	}
	rec := a.record(p, audit.AwaitingApproval, req.Actor)
	rec.Response = &audit.Response{Message: "expires " + p.Expires.UTC().Format(time.RFC3339)}
	if err := e.audit.Append(rec); err != nil {
		res.Outcome = Failed
		res.Message = "nothing was sent: the audit log could not be written: " + err.Error()
		return res, true
	}
	a.pending[req.ID] = p
	res.Message = fmt.Sprintf("a second operator must approve it by %s UTC (:approvals); nothing is sent until then", p.Expires.UTC().Format("15:04"))
	res.Recorded = true
	e.log.Info("action awaits approval", "id", req.ID, "action", req.Action, "model", req.Model, "user", req.Actor.User)
	return res, true
}

// List expires what is overdue and returns what still waits, oldest first.
func (a *Approvals) List() []Pending {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expireLocked()
	out := make([]Pending, 0, len(a.pending))
	for _, p := range a.pending {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(x, y Pending) int { return x.Requested.Compare(y.Requested) })
	return out
}

// Expire records every request past its time as expired.
func (a *Approvals) Expire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expireLocked()
}

// Approve has by approve request id and sends it, once, as its requester
// with by named. Refused (nothing recorded, the request keeps waiting)
// when by asked for it or may not run the action.
func (a *Approvals) Approve(ctx context.Context, id string, by Actor) Result {
	p, why := a.take(id, by, "approve")
	if why != "" {
		return Result{ID: id, Model: pModel(p), Action: pAction(p), Outcome: Refused, Message: why}
	}
	rec := a.record(p, audit.Approved, by)
	if err := a.e.audit.Append(rec); err != nil {
		return Result{ID: id, Action: p.Request.Action, Model: p.Request.Model, Outcome: Failed,
			Message: "nothing was sent: the audit log could not be written: " + err.Error()}
	}
	req := p.Request
	req.Approval = id
	res := a.e.Execute(ctx, req)
	a.notify(Notice{To: p.Request.Actor.User, ID: id, Model: req.Model, Title: p.Title, State: audit.Approved, By: by.User, Result: res})
	return res
}

// Reject has by turn request id down, with a reason, and tells the
// requester.
func (a *Approvals) Reject(id string, by Actor, reason string) Result {
	p, why := a.take(id, by, "reject")
	if why != "" {
		return Result{ID: id, Model: pModel(p), Action: pAction(p), Outcome: Refused, Message: why}
	}
	rec := a.record(p, audit.Rejected, by)
	rec.Response = &audit.Response{Message: strings.TrimSpace(reason)}
	res := Result{ID: id, Action: p.Request.Action, Model: p.Request.Model, Outcome: Refused, Recorded: true,
		Message: fmt.Sprintf("rejected by %s; nothing was sent", by.User)}
	if err := a.e.audit.Append(rec); err != nil {
		res.Recorded = false
		res.Message += " (not recorded: " + err.Error() + ")"
	}
	a.notify(Notice{To: p.Request.Actor.User, ID: id, Model: p.Request.Model, Title: p.Title, State: audit.Rejected, By: by.User, Reason: strings.TrimSpace(reason)})
	return res
}

// Notices returns the notices for user after seq, and the last seq.
func (a *Approvals) Notices(user string, after int) ([]Notice, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expireLocked()
	var out []Notice
	for _, n := range a.notices {
		if n.Seq > after && n.To == user {
			out = append(out, n)
		}
	}
	return out, a.seq
}

// take removes request id for by to decide, or says why by may not.
func (a *Approvals) take(id string, by Actor, verb string) (*Pending, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expireLocked()
	p, ok := a.pending[id]
	if !ok {
		return nil, fmt.Sprintf("request %s is not waiting for approval (decided or expired already)", id)
	}
	s, _ := a.e.Spec(p.Request.Action)
	switch {
	case a.e.readOnly:
		return p, a.e.readOnlyText()
	case !s.Permits(by.Role):
		role := by.Role
		if role == "" {
			role = "no role"
		}
		return p, fmt.Sprintf("to %s %s needs the %s role; %s has %s", verb, strings.ToLower(s.Title), s.Role, orSomeone(by.User), role)
	case verb == "approve" && (by.User == "" || by.User == p.Request.Actor.User):
		return p, "you asked for it: a second operator must approve it"
	}
	delete(a.pending, id)
	return p, ""
}

func (a *Approvals) expireLocked() {
	now := a.e.now()
	for id, p := range a.pending {
		if now.Before(p.Expires) {
			continue
		}
		delete(a.pending, id)
		rec := a.record(p, audit.Expired, p.Request.Actor)
		rec.Time = now
		if err := a.e.audit.Append(rec); err != nil {
			a.e.log.Error("audit log", "err", err)
		}
		a.notifyLocked(Notice{To: p.Request.Actor.User, ID: id, Model: p.Request.Model, Title: p.Title, State: audit.Expired})
	}
}

func (a *Approvals) notify(n Notice) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notifyLocked(n)
}

func (a *Approvals) notifyLocked(n Notice) {
	a.seq++
	n.Seq = a.seq
	a.notices = append(a.notices, n)
	if len(a.notices) > maxNotices {
		a.notices = slices.Delete(a.notices, 0, len(a.notices)-maxNotices)
	}
}

// record is p's audit record in state st, by actor.
func (a *Approvals) record(p *Pending, st audit.State, actor Actor) audit.Record {
	s, _ := a.e.Spec(p.Request.Action)
	rec := a.e.record(p.Request, s, nil, st)
	rec.Actor = actor
	if actor.Host == "" {
		rec.Actor.Host = a.e.host
	}
	if st != audit.AwaitingApproval {
		rec.RequestedBy = p.Request.Actor.User
	}
	rec.Before, rec.After = p.Before, p.After
	return rec
}

func pModel(p *Pending) string {
	if p == nil {
		return ""
	}
	return p.Request.Model
}

func pAction(p *Pending) string {
	if p == nil {
		return ""
	}
	return p.Request.Action
}
