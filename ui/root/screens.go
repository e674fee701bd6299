package root

import (
	"github.com/mltop/mltop/ui/alertscreen"
	"github.com/mltop/mltop/ui/auditscreen"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/comparescreen"
	"github.com/mltop/mltop/ui/detailscreen"
	"github.com/mltop/mltop/ui/driftscreen"
	"github.com/mltop/mltop/ui/fleetscreen"
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
	if s.Alerts == nil {
		s.Alerts = func(c *common.Common, model string) common.Screen { return alertscreen.New(c, model) }
	}
	return s
}
