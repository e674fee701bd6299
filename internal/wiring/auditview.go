package wiring

import (
	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
)

// AuditedExecutor is an executor whose audit log can be read by filter:
// what the dashboard's action keys and audit screen ask of it.
type AuditedExecutor struct{ *actions.Executor }

// AuditRecords reads the executor's audit log, oldest first, keeping the
// records f selects; torn counts the lines skipped as cut short.
func (e AuditedExecutor) AuditRecords(f audit.Filter) (records []audit.Record, torn int, err error) {
	rs, torn, err := e.AuditLog().Read()
	return audit.Select(rs, f), torn, err
}
