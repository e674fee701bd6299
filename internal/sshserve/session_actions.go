package sshserve

import (
	"context"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
)

// The session is its dashboard's actions in the server's context: the
// server's executor and approvals store, as this session's user.
var (
	_ common.Actions          = (*Session)(nil)
	_ common.Approver         = (*Session)(nil)
	_ common.RolloutInspector = (*Session)(nil)
)

// Plan asks the server's executor what req would do, as this session's user.
func (s *Session) Plan(ctx context.Context, req actions.Request) (actions.Plan, error) {
	return s.own().Plan(ctx, req)
}

// Execute carries out req in the server's context as this session's user.
func (s *Session) Execute(ctx context.Context, req actions.Request) actions.Result {
	return s.own().Execute(ctx, req)
}

// Specs are the server's context's configured actions.
func (s *Session) Specs() []actions.Spec { return s.own().Specs() }

// ReadOnly reports whether the server refuses every action.
func (s *Session) ReadOnly() bool { return s.own().ReadOnly() }

// AuditRecords reads the server's audit log, for the audit screen.
func (s *Session) AuditRecords(f audit.Filter) ([]audit.Record, int, error) {
	return s.own().AuditRecords(f)
}

// InspectRollout reads the model's Rollout for the detail screen.
func (s *Session) InspectRollout(ctx context.Context, model string, tags map[string]string) (actions.RolloutInspection, error) {
	return s.own().InspectRollout(ctx, model, tags)
}

// InspectsRollouts reports whether InspectRollout can answer.
func (s *Session) InspectsRollouts() bool { return s.own().InspectsRollouts() }

// Waiting lists what waits for a second operator in the server's context.
func (s *Session) Waiting() []actions.Pending { return s.own().Waiting() }

// Approve approves request id as this session's user, and sends it.
func (s *Session) Approve(ctx context.Context, id string) actions.Result {
	return s.own().Approve(ctx, id)
}

// Reject turns request id down as this session's user.
func (s *Session) Reject(ctx context.Context, id, reason string) actions.Result {
	return s.own().Reject(ctx, id, reason)
}

// Notices are what became of this user's requests, after seq.
func (s *Session) Notices(after int) ([]actions.Notice, int) { return s.own().Notices(after) }
