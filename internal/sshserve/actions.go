package sshserve

import (
	"context"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
)

// sessionActions are one session's actions through one executor (the
// server's context's, or another context's): the executor plans, refuses
// and records every request, with the actor replaced by the session's
// identity whatever the request says. Actions on models under
// actions.two_person wait in that executor's approvals store, which every
// session shares, so a second operator approves them in the same context
// and that context's executor sends them.
type sessionActions struct {
	s   *Session
	ex  *actions.Executor
	ap  *actions.Approvals
	srv *Server
}

var (
	_ common.Actions          = (*sessionActions)(nil)
	_ common.Approver         = (*sessionActions)(nil)
	_ common.RolloutInspector = (*sessionActions)(nil)
)

// ActionsFor are the session's actions through ex, another context's
// executor: the session's user acts there as in the server's context, and
// nothing they ask crosses to another executor. nil when ex is nil.
func (s *Session) ActionsFor(ex *actions.Executor) common.Actions {
	if ex == nil {
		return nil
	}
	return s.actionsFor(ex)
}

func (s *Session) actionsFor(ex *actions.Executor) *sessionActions {
	return &sessionActions{s: s, ex: ex, ap: s.srv.approvalsFor(ex), srv: s.srv}
}

// own are the session's actions in the server's context.
func (s *Session) own() *sessionActions {
	if s.srv.opts.Actions == nil {
		return &sessionActions{s: s, srv: s.srv}
	}
	return s.actionsFor(s.srv.opts.Actions)
}

// Plan asks the executor what req would do, as this session's user.
func (a *sessionActions) Plan(ctx context.Context, req actions.Request) (actions.Plan, error) {
	req.Actor = a.s.id.Actor()
	if a.ex == nil {
		return actions.Plan{}, errNoActions
	}
	return a.ex.Plan(ctx, req)
}

// Execute carries out req as this session's user. The executor enforces
// the role and records the request (refusals included) in the audit log
// with the user, role and key fingerprint.
func (a *sessionActions) Execute(ctx context.Context, req actions.Request) actions.Result {
	req.Actor = a.s.id.Actor()
	if a.ex == nil {
		return actions.Result{ID: req.ID, Action: req.Action, Model: req.Model, Outcome: actions.Refused, Message: errNoActions.Error()}
	}
	res, held := a.ap.Hold(ctx, req)
	if !held {
		res = a.ex.Execute(ctx, req)
	}
	a.srv.opts.Metrics.ActionDone(a.metricName(req.Action), string(res.Outcome))
	return res
}

// Specs are the configured actions.
func (a *sessionActions) Specs() []actions.Spec {
	if a.ex == nil {
		return nil
	}
	return a.ex.Specs()
}

// Context is the config context the executor acts in, which the
// dashboard names when it refuses for being read-only.
func (a *sessionActions) Context() string {
	if a.ex == nil {
		return ""
	}
	return a.ex.Context()
}

// ReadOnly reports whether the executor refuses every action.
func (a *sessionActions) ReadOnly() bool { return a.ex == nil || a.ex.ReadOnly() }

// AuditRecords reads the executor's audit log, for the audit screen.
func (a *sessionActions) AuditRecords(f audit.Filter) ([]audit.Record, int, error) {
	if a.ex == nil {
		return nil, 0, errNoActions
	}
	return a.ex.AuditRecords(f)
}

// InspectRollout reads the model's Rollout for the detail screen: what it
// says is the cluster's, the same for every role, so a viewer sees it too.
func (a *sessionActions) InspectRollout(ctx context.Context, model string, tags map[string]string) (actions.RolloutInspection, error) {
	if a.ex == nil {
		return actions.RolloutInspection{}, actions.ErrNoRolloutAPI
	}
	return a.ex.InspectRollout(ctx, model, tags)
}

// InspectsRollouts reports whether InspectRollout can answer.
func (a *sessionActions) InspectsRollouts() bool { return a.ex != nil && a.ex.InspectsRollouts() }

// Waiting lists what waits for a second operator here, oldest first.
func (a *sessionActions) Waiting() []actions.Pending {
	if a.ap == nil {
		return nil
	}
	return a.ap.List()
}

// Approve approves request id as this session's user, and has this
// executor send it; an id waiting in another context is not found here.
func (a *sessionActions) Approve(ctx context.Context, id string) actions.Result {
	if a.ap == nil {
		return actions.Result{ID: id, Outcome: actions.Refused, Message: errNoActions.Error()}
	}
	res := a.ap.Approve(ctx, id, a.s.id.Actor())
	if res.Action != "" && res.Outcome != actions.Refused {
		a.srv.opts.Metrics.ActionDone(a.metricName(res.Action), string(res.Outcome))
	}
	return res
}

// Reject turns request id down as this session's user.
func (a *sessionActions) Reject(_ context.Context, id, reason string) actions.Result {
	if a.ap == nil {
		return actions.Result{ID: id, Outcome: actions.Refused, Message: errNoActions.Error()}
	}
	return a.ap.Reject(id, a.s.id.Actor(), reason)
}

// Notices are what became of this user's requests here, after seq.
func (a *sessionActions) Notices(after int) ([]actions.Notice, int) {
	if a.ap == nil {
		return nil, after
	}
	return a.ap.Notices(a.s.id.User, after)
}

func (a *sessionActions) metricName(action string) string {
	if _, ok := a.ex.Spec(action); !ok {
		return "unconfigured" // keeps the metric's label values few
	}
	return action
}
