package app

import (
	"github.com/mltop/mltop/ui/common"
	detailscreen "github.com/mltop/mltop/ui/detail"
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
	// Until a screen exists, its key says so instead of doing nothing.
	if s.Drift == nil {
		s.Drift = func(*common.Common, string) common.Screen { return nil }
	}
	if s.Compare == nil {
		s.Compare = func(*common.Common, string, string, string) common.Screen { return nil }
	}
	return s
}
