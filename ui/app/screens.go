package app

import (
	auditscreen "github.com/mltop/mltop/ui/audit"
	"github.com/mltop/mltop/ui/common"
	comparescreen "github.com/mltop/mltop/ui/compare"
	detailscreen "github.com/mltop/mltop/ui/detail"
	driftscreen "github.com/mltop/mltop/ui/drift"
	fleetscreen "github.com/mltop/mltop/ui/fleet"
)

// defaultScreens fills in the screens the caller left out.
func defaultScreens(s Screens) Screens {
	if s.Fleet == nil {
		s.Fleet = func(c *common.Common) common.Screen { return fleetscreen.New(c) }
	}
	if s.Detail == nil {
		s.Detail = func(c *common.Common, model string) common.Screen { return detailscreen.New(c, model) }
	}
	if s.Drift == nil {
		s.Drift = func(c *common.Common, model string) common.Screen { return driftscreen.New(c, model) }
	}
	if s.Compare == nil {
		s.Compare = func(c *common.Common, model, a, b string) common.Screen { return comparescreen.New(c, model, a, b) }
	}
	if s.Audit == nil {
		s.Audit = func(c *common.Common, model string) common.Screen { return auditscreen.New(c, model) }
	}
	return s
}
