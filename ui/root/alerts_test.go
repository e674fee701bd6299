package root

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func alertsRoot(t *testing.T, snap fleet.Snapshot, w, h int) *Model {
	t.Helper()
	c := uitest.Common("dark")
	c.Snapshot = &snap
	return newRoot(t, "dark", w, h, Options{Common: c})
}

func statusOf(m *Model) string { return ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]) }

// The status line counts the fleet's firing alerts (those without a
// model included), or says the alerts are unknown and why: never none.
func TestGoldenAlertsStatus(t *testing.T) {
	for _, c := range []struct {
		name string
		snap fleet.Snapshot
		want []string
	}{
		{"alerts", uitest.AlertsSnapshot(), []string{"🔔 3 firing"}},
		{"alerts-unknown", uitest.AlertsUnknownSnapshot(), []string{"alerts unknown"}},
	} {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("%s-dark-%dx%d", c.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m := alertsRoot(t, c.snap, sz[0], sz[1])
				got := view(m)
				assertFits(t, got, sz[0], sz[1])
				for _, want := range c.want {
					if !strings.Contains(statusOf(m), want) {
						t.Errorf("status line %q lacks %q", statusOf(m), want)
					}
				}
				uitest.Golden(t, name, got)
			})
		}
	}
	m := alertsRoot(t, uitest.AlertsSnapshot(), 200, 50)
	if top := statusOf(m); !strings.Contains(top, "🔔 3 firing · 1 pending") {
		t.Errorf("status line %q", top)
	}
	m = alertsRoot(t, uitest.AlertsUnknownSnapshot(), 200, 50)
	if top := statusOf(m); !strings.Contains(top, "alerts unknown: connection refused") || strings.Contains(top, "firing") {
		t.Errorf("status line %q", top)
	}
}

// :alerts lists every model's alerts, :alerts MODEL one model's; a on a
// model's detail opens its alerts over it, and q comes back to it.
func TestAlertsCommandAndKey(t *testing.T) {
	m := alertsRoot(t, uitest.AlertsSnapshot(), 120, 40)
	typeText(m, ":alerts")
	press(m, "enter")
	if top := m.top(); top.Title() != "alerts" {
		t.Fatalf(":alerts opened %q", top.Title())
	}
	if v := ansi.Strip(view(m)); !strings.Contains(v, "Watchdog") || !strings.Contains(v, "ModelQualityDrop") {
		t.Errorf(":alerts:\n%s", v)
	}
	typeText(m, ":alerts credit-risk")
	press(m, "enter")
	if top := m.top(); top.Title() != "alerts credit-risk" || len(m.Stack()) != 2 {
		t.Fatalf(":alerts credit-risk opened %q over %v", top.Title(), m.Stack())
	}
	typeText(m, ":alerts nope")
	press(m, "enter")
	if v := ansi.Strip(view(m)); !strings.Contains(v, `no model named "nope"`) {
		t.Errorf("unknown model not said:\n%s", v)
	}

	m = alertsRoot(t, uitest.AlertsSnapshot(), 120, 40)
	m.Update(common.OpenModelMsg{Model: "payments-fraud"})
	for _, msg := range uitest.Run(press(m, "a")) {
		m.Update(msg)
	}
	if top := m.top(); top.Title() != "alerts payments-fraud" || len(m.Stack()) != 3 {
		t.Fatalf("a on the detail opened %q, stack %v", top.Title(), m.Stack())
	}
	press(m, "q")
	if top := m.top(); top.Title() == "alerts payments-fraud" {
		t.Errorf("q did not go back to the detail")
	}
}
