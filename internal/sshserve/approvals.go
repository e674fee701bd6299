package sshserve

import (
	"context"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/common"
)

// The session is its dashboard's common.Approver: actions on models under
// actions.two_person wait in the server's one store, where another
// operator's session approves or rejects them, as that session's user.
var _ common.Approver = (*Session)(nil)

// Waiting lists what waits for a second operator, oldest first.
func (s *Session) Waiting() []actions.Pending {
	if s.srv.approvals == nil {
		return nil
	}
	return s.srv.approvals.List()
}

// Approve approves request id as this session's user, and sends it.
func (s *Session) Approve(ctx context.Context, id string) actions.Result {
	if s.srv.approvals == nil {
		return actions.Result{ID: id, Outcome: actions.Refused, Message: errNoActions.Error()}
	}
	res := s.srv.approvals.Approve(ctx, id, s.id.Actor())
	if res.Action != "" && res.Outcome != actions.Refused {
		s.srv.opts.Metrics.ActionDone(s.metricName(res.Action), string(res.Outcome))
	}
	return res
}

// Reject turns request id down as this session's user.
func (s *Session) Reject(_ context.Context, id, reason string) actions.Result {
	if s.srv.approvals == nil {
		return actions.Result{ID: id, Outcome: actions.Refused, Message: errNoActions.Error()}
	}
	return s.srv.approvals.Reject(id, s.id.Actor(), reason)
}

// Notices are what became of this user's requests, after seq.
func (s *Session) Notices(after int) ([]actions.Notice, int) {
	if s.srv.approvals == nil {
		return nil, after
	}
	return s.srv.approvals.Notices(s.id.User, after)
}

// hold keeps req for a second operator when its model needs one.
func (s *Session) hold(ctx context.Context, req actions.Request) (actions.Result, bool) {
	if s.srv.approvals == nil {
		return actions.Result{}, false
	}
	return s.srv.approvals.Hold(ctx, req)
}

func (s *Session) metricName(action string) string {
	if _, ok := s.srv.opts.Actions.Spec(action); !ok {
		return "unconfigured" // keeps the metric's label values few
	}
	return action
}
