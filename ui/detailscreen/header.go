package detailscreen

import (
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// statusIcon is a health verdict as icon and style, so health is never
// shown by colour alone.
func (m *Model) statusIcon(s fleet.Status) (string, lipgloss.Style) {
	th, g := m.c.Theme, m.c.Glyphs
	switch s {
	case fleet.StatusCritical:
		return g.Bad, th.Bad
	case fleet.StatusWarn:
		return g.Warn, th.Warn
	case fleet.StatusOK:
		return g.OK, th.OK
	}
	return g.Unknown, th.Unknown
}

// headerLines are the fixed lines at the top: health, name, owner, team,
// risk tier and aliases, wrapped over at most maxLines lines.
func (m *Model) headerLines(mod *fleet.Model, width, maxLines int) []string {
	th := m.c.Theme
	if mod == nil {
		icon, st := m.statusIcon(fleet.StatusUnknown)
		return []string{st.Render(icon) + " " + th.Title.Render(termsafe.Clean(m.model))}
	}
	icon, st := m.statusIcon(mod.Health.Status)
	label := st.Render(icon) + " " + th.Title.Render(termsafe.Clean(mod.Name)) + "  "
	lines := wrapParts(label, lipgloss.Width(label), m.tagParts(mod), th.Subtle.Render(" · "), width)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	return lines
}

// tagParts are owner, team, risk tier and aliases; unknown ones show "—".
func (m *Model) tagParts(mod *fleet.Model) []string {
	th := m.c.Theme
	tag := func(name string) string {
		if v := termsafe.Clean(mod.Tags[name]); v != "" {
			return v
		}
		return "—"
	}
	risk := strings.ToUpper(tag("risk_tier"))
	riskStyle := th.Text
	if risk == "HIGH" || risk == "CRITICAL" {
		riskStyle = th.Bad
	}
	parts := []string{
		th.Muted.Render("owner ") + th.Text.Render(tag("owner")),
		th.Muted.Render("team ") + th.Text.Render(tag("team")),
		th.Muted.Render("risk ") + riskStyle.Render(risk),
	}
	behind := m.aliasBehind(mod)
	for _, alias := range sortedAliases(mod.Aliases) {
		part := th.Muted.Render(termsafe.Clean(alias)+" ") + th.Text.Render("v"+termsafe.Clean(mod.Aliases[alias]))
		if alias == behind.alias {
			part += th.Muted.Render(" (registry)")
			parts = append(parts, part, th.Warn.Render(behind.text))
			continue
		}
		parts = append(parts, part)
	}
	return parts
}

// behindAlias is a serving alias the traffic has moved away from.
type behindAlias struct {
	alias string // "" when the alias names the version that serves
	text  string // "v12 serves 100 %"
}

// aliasBehind checks the serving alias against the traffic weights: after
// a canary is promoted the alias may still name the old version, and the
// header must not let "champion v11" read as "v11 serves".
func (m *Model) aliasBehind(mod *fleet.Model) behindAlias {
	s := m.c.Snapshot
	if s == nil || s.ServingAlias == "" {
		return behindAlias{}
	}
	_, served, w, ok := mod.AliasBehind(s.ServingAlias)
	if !ok {
		return behindAlias{}
	}
	return behindAlias{alias: s.ServingAlias, text: "v" + termsafe.Clean(served) + " serves " + weightText(w) + " %"}
}

// sortedAliases puts champion and challenger first, then the rest by name.
func sortedAliases(a map[string]string) []string {
	rank := func(s string) int {
		switch s {
		case "champion":
			return 0
		case "challenger":
			return 1
		}
		return 2
	}
	names := make([]string, 0, len(a))
	for n := range a {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if rank(names[i]) != rank(names[j]) {
			return rank(names[i]) < rank(names[j])
		}
		return names[i] < names[j]
	})
	return names
}

// introLines open the body: the description, then why the model is (or is
// not) healthy, in plain words, then which sources are stale.
func (m *Model) introLines(mod *fleet.Model, width int) []string {
	th := m.c.Theme
	var out []string
	if mod == nil {
		msg := "waiting for the first poll…"
		if m.c.Snapshot != nil {
			msg = "not in the latest snapshot: no metrics or registry entry mention this model"
		}
		return append(out, th.Muted.Render(msg))
	}
	for _, l := range common.WrapText(termsafe.Clean(mod.Description), width, 2) {
		out = append(out, th.Muted.Render(l))
	}
	switch {
	case len(mod.Health.Findings) > 0:
		for _, f := range mod.Health.Findings {
			icon, st := m.statusIcon(f.Status)
			who := ""
			if f.Version != "" {
				who = "v" + termsafe.Clean(f.Version) + " "
			}
			out = append(out, st.Render(icon+" "+who+termsafe.Clean(f.Message)))
		}
	case mod.Health.Status == fleet.StatusOK:
		icon, st := m.statusIcon(fleet.StatusOK)
		out = append(out, st.Render(icon)+" "+th.Text.Render("healthy: every check passes"))
	default:
		icon, st := m.statusIcon(fleet.StatusUnknown)
		out = append(out, st.Render(icon)+" "+th.Muted.Render("health unknown: no serving metrics or live quality yet"))
	}
	out = append(out, m.alertLines(mod, width)...)
	return append(out, m.staleSourceLines()...)
}

// staleSourceLines name each source whose values are old, with the age and
// the reason, dimmed like the values they affect.
func (m *Model) staleSourceLines() []string {
	s := m.c.Snapshot
	if s == nil {
		return nil
	}
	var out []string
	for _, src := range s.Sources {
		if src.OK || src.IsAlerts() { // the alerts section says so itself
			continue
		}
		out = append(out, m.c.Theme.Stale.Render(m.c.StaleSourceText(src)))
	}
	return out
}
