package root

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

// A source reading some roles from recording rules' series says how many;
// one that found none says nothing, and a short line drops the words.
func TestStatusLineSaysRecordedRoles(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Sources[0].Name, s.Sources[0].Kind, s.Sources[0].OK = "prometheus", "prometheus", true
	s.Sources[0].Recorded = &fleet.Recorded{Roles: []fleet.Role{fleet.RoleRequestRate, fleet.RoleErrorRatio}, Of: 11}
	c.Snapshot = &s
	got := view(newRoot(t, "dark", 200, 50, Options{Common: c}))
	uitest.Golden(t, "dark-200x50", got)
	if top := ansi.Strip(strings.SplitN(got, "\n", 2)[0]); !strings.Contains(top, "✔ recorded 2/11 roles") {
		t.Errorf("status line %q does not say which roles are recorded", top)
	}
	s.Sources[0].Recorded = &fleet.Recorded{Of: 11}
	if top := ansi.Strip(strings.SplitN(view(newRoot(t, "dark", 200, 50, Options{Common: c})), "\n", 2)[0]); strings.Contains(top, "recorded") {
		t.Errorf("status line %q speaks of recorded series when none are read", top)
	}
	s.Sources[0].Recorded = &fleet.Recorded{Roles: []fleet.Role{fleet.RoleRequestRate}, Of: 11}
	got = view(newRoot(t, "dark", 80, 24, Options{Common: c}))
	assertFits(t, got, 80, 24)
	uitest.Golden(t, "dark-80x24", got)
}
