package wiring

import (
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

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
