package wiring

import (
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// checkWants reports whether a role's query is sent: the roles of the
// latency, silent and burn-rate checks only while their threshold is on,
// so that a check left off costs Prometheus nothing. The silent check also
// needs today's request rate: without it every model would look stopped.
func checkWants(cfg *config.Config, role fleet.Role, requests bool) bool {
	t := cfg.Thresholds
	switch role {
	case fleet.RoleLatencyBuckets:
		return t.LatencyP95 > 0
	case fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore:
		return t.SilentShare > 0 && requests
	case fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket:
		return t.Availability > 0
	}
	return true
}

// objectiveEvery is how often the slow-moving service-level roles are
// re-read: last week's rate and the hour before move with the minute,
// and each burn-rate pair when its short window has moved a tenth (30s of
// 5m, 3m of 30m); never more often than the refresh. Others: 0.
func objectiveEvery(cfg *config.Config, role fleet.Role) time.Duration {
	switch role {
	case fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore:
		return max(cfg.Refresh, time.Minute)
	case fleet.RoleErrorRatioPage:
		return max(cfg.Refresh, 30*time.Second)
	case fleet.RoleErrorRatioTicket:
		return max(cfg.Refresh, 3*time.Minute)
	}
	return 0
}
