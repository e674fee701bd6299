package root

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// alertsStatus is the alert source on the status line: the fleet-wide
// count of firing alerts ("🔔 3 firing · 1 pending"), or, when the read
// failed, "alerts unknown: connection refused" — never a count of none.
func (m *Model) alertsStatus(a *fleet.Alerts, s fleet.SourceStatus, detail statusDetail, errBudget int) string {
	t, g := m.c.Theme, m.c.Glyphs
	if !a.Known {
		out := t.Bad.Render("alerts unknown")
		if detail == statusTerse || errBudget <= 0 {
			return out
		}
		msg := termsafe.Clean(s.Error)
		if msg == "" {
			msg = "not read yet"
		}
		return out + t.Bad.Render(": "+ansi.Truncate(msg, errBudget, "…"))
	}
	if detail == statusTerse {
		if a.Firing == 0 {
			return t.Muted.Render(g.Bell + "0")
		}
		return t.Bad.Render(fmt.Sprintf("%s%d", g.Bell, a.Firing))
	}
	out := t.Muted.Render(g.Bell + " no alerts firing")
	if a.Firing > 0 {
		out = t.Bad.Render(fmt.Sprintf("%s %d firing", g.Bell, a.Firing))
	}
	if a.Pending > 0 && detail >= statusMedium {
		out += t.Muted.Render(fmt.Sprintf(" · %d pending", a.Pending))
	}
	if len(s.Warnings) > 0 && detail >= statusMedium {
		out += " " + t.Warn.Render(g.Warn+" "+ansi.Truncate(termsafe.Clean(s.Warnings[0]), max(errBudget, minErrorBudget), "…"))
	}
	return out
}

// openAlerts pushes the alerts screen over the fleet: every model's, or
// one model's.
func (m *Model) openAlerts(model string) tea.Cmd {
	if m.ctxs.merged {
		// The merged view has no alert source of its own: "no alert
		// source" here would read as no alerts anywhere.
		m.flash.set(common.AlertsPerContext, true, m.c.Now)
		return nil
	}
	m.popToRoot()
	return m.push(m.screens.Alerts(m.c, model))
}

// cmdAlerts is :alerts [MODEL].
func (m *Model) cmdAlerts(arg string) tea.Cmd {
	if arg == "" {
		return m.openAlerts("")
	}
	if md := m.findModel(arg); md != nil {
		return m.openAlerts(md.Name)
	}
	m.flash.set(fmt.Sprintf("no model named %q", arg), true, m.c.Now)
	return nil
}
