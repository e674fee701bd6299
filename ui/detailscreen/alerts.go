package detailscreen

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// maxAlertLines is how many of a model's alerts the detail screen lists;
// the alerts screen (a) has them all.
const maxAlertLines = 5

// alertLines are the model's alerts beside its health: one line each,
// firing first; "alerts unknown" when the read failed; nothing without an
// alert source. They never change the verdict above them.
func (m *Model) alertLines(mod *fleet.Model, width int) []string {
	s := m.c.Snapshot
	if s == nil || s.Alerts == nil {
		return nil
	}
	th, g := m.c.Theme, m.c.Glyphs
	// A model's nil Alerts is unknown too, as the fleet's bell column reads it.
	if !s.Alerts.Known || mod.Alerts == nil {
		msg := termsafe.Clean(s.Alerts.Error)
		if msg == "" {
			msg = "not read yet"
		}
		return []string{th.Bad.Render(ansi.Truncate(g.Unknown+" alerts unknown: "+msg, width, "…"))}
	}
	if len(mod.Alerts) == 0 {
		return []string{th.Muted.Render(g.Bell + " no alert firing, pending or silenced")}
	}
	var out []string
	for i, a := range mod.Alerts {
		if i == maxAlertLines {
			out = append(out, th.Muted.Render(fmt.Sprintf("%s %d more: a lists them", g.Bell, len(mod.Alerts)-i)))
			break
		}
		out = append(out, ansi.Truncate(m.alertLine(a), width, "…"))
	}
	return out
}

// alertLine is "🔔 firing ModelErrorRatioHigh v8 · critical · 12m · error
// ratio 5.2% above 2%", or for a silenced one who silenced it.
func (m *Model) alertLine(a fleet.Alert) string {
	th, g := m.c.Theme, m.c.Glyphs
	st, head := th.Bad, g.Bell+" firing"
	switch a.State {
	case fleet.AlertPending:
		st, head = th.Warn, g.Progressing+" pending"
	case fleet.AlertSuppressed:
		st, head = th.Paused, g.Paused+" silenced"
		if len(a.SilencedBy) == 0 {
			head = g.Paused + " inhibited"
		}
	}
	name := termsafe.Clean(a.Name)
	if a.Version != "" {
		name += " v" + termsafe.Clean(a.Version)
	}
	parts := []string{st.Render(head) + " " + th.Text.Render(name)}
	if a.Severity != "" {
		parts = append(parts, th.Muted.Render(termsafe.Clean(a.Severity)))
	}
	if !a.Since.IsZero() {
		parts = append(parts, th.Muted.Render(human.Duration(max(m.c.Now.Sub(a.Since), 0))))
	}
	if who := common.SilencedBy(a, m.c.Now); who != "" {
		if len(a.SilencedBy) > 0 {
			who = "by " + who
		}
		parts = append(parts, th.Paused.Render(who))
	} else if sum := termsafe.Clean(a.Summary); sum != "" {
		parts = append(parts, th.Text.Render(sum))
	}
	return strings.Join(parts, m.sep())
}
