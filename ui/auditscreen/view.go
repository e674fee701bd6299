package auditscreen

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// Lines above the list: the title line and the column header.
const headLines = 2

// filterLine reports whether the last line shows the filter.
func (m *Model) filterLine() bool { return m.filtering || m.query != "" }

// listHeight is how many lines the list has.
func (m *Model) listHeight() int {
	h := m.height - headLines
	if m.filterLine() {
		h--
	}
	return max(h, 0)
}

// expansion is the lines an expanded row adds below it.
func (m *Model) expansion(r row) []string {
	if !m.expanded[r.latest.ID] {
		return nil
	}
	th, g := m.c.Theme, m.c.Glyphs
	ind := "      "
	var out []string
	for _, rec := range r.history {
		icon, st := stateLook(th, g, rec.State)
		line := ind + th.Muted.Render(rec.Time.In(m.c.Now.Location()).Format("15:04:05.000")) + "  " +
			st.Render(padRight(icon+" "+stateWord(rec.State), 11)) + "  "
		var parts []string
		if resp := rec.Response; resp != nil {
			if resp.Status != 0 {
				parts = append(parts, fmt.Sprintf("HTTP %d", resp.Status))
			}
			if resp.Message != "" {
				parts = append(parts, termsafe.Clean(resp.Message))
			}
		}
		if rec.Duration > 0 {
			parts = append(parts, human.Seconds(rec.Duration))
		}
		if rec.State == audit.Requested && rec.Adapter != "" {
			parts = append(parts, "via "+termsafe.Clean(rec.Adapter)+" → "+termsafe.Clean(rec.Target))
		}
		out = append(out, line+th.Text.Render(strings.Join(parts, " · ")))
	}
	l := r.latest
	detail := func(label, value string) {
		if value != "" {
			out = append(out, ind+th.Muted.Render(padRight(label, 8))+th.Text.Render(value))
		}
	}
	if l.Response != nil {
		label := "run"
		if l.After["for"] != "" || l.After["state"] == "expired" {
			label = "silence" // a silence's id
		}
		detail(label, termsafe.Clean(l.Response.RunID))
		detail("url", termsafe.Clean(l.Response.URL))
	}
	switch {
	case l.After != nil:
		detail("change", termsafe.Clean(mapText(l.Before))+" → "+termsafe.Clean(mapText(l.After)))
	case l.Before != nil:
		detail("on", termsafe.Clean(mapText(l.Before)))
	}
	detail("reason", termsafe.Clean(l.Reason))
	who := termsafe.Clean(l.Actor.User)
	if l.Actor.Role != "" {
		who += " (" + termsafe.Clean(l.Actor.Role) + ")"
	}
	if l.Actor.Host != "" {
		who += " on " + termsafe.Clean(l.Actor.Host)
	}
	if l.Actor.KeyFingerprint != "" {
		who += " · key " + termsafe.Clean(l.Actor.KeyFingerprint)
	}
	detail("by", who)
	detail("asker", termsafe.Clean(l.RequestedBy))
	detail("second", termsafe.Clean(l.ApprovedBy))
	detail("request", termsafe.Clean(l.ID))
	return out
}

// rowLines is how many list lines row i takes: itself and its expansion.
func (m *Model) rowLines(i int) int { return 1 + len(m.expansion(m.rows[i])) }

// columns are the widths of the list's columns; 0 hides one.
type columns struct {
	time, actor, action, model, change, state, reason, id, message int
}

const gap = 2

func (m *Model) columns() columns {
	c := columns{time: 8, actor: 5, action: 6, model: 5, change: 6, state: 11}
	for _, r := range m.rows {
		l := r.latest
		c.time = max(c.time, lipgloss.Width(stamp(l.Time, m.c.Now)))
		c.actor = max(c.actor, min(lipgloss.Width(termsafe.Clean(l.Actor.User)), 12))
		c.action = max(c.action, min(lipgloss.Width(actionName(l)), 14))
		c.model = max(c.model, min(lipgloss.Width(termsafe.Clean(l.Model)), 22))
		c.change = max(c.change, min(lipgloss.Width(change(l)), 14))
	}
	used := c.time + c.actor + c.action + c.model + c.change + c.state + 6*gap + 1
	rest := m.width - used
	if rest < 14 {
		// The reason says more than who, on a narrow screen; who is in
		// the expanded lines.
		rest += c.actor + gap
		c.actor = 0
	}
	longest := 6
	for _, r := range m.rows {
		longest = max(longest, lipgloss.Width(termsafe.Clean(r.latest.Reason)))
	}
	switch {
	case rest >= 46:
		c.id = 8
		rest -= c.id + 2*gap
		c.reason = min(longest, max(rest/2, 10))
		c.message = rest - c.reason
	case rest >= 6:
		c.reason = rest
	}
	return c
}

// View draws the title line, the column header, the list and the filter.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.c.Theme
	lines := []string{m.titleLine()}
	cols := m.columns()
	lines = append(lines, th.Header.Render(m.cells(cols, [9]string{"TIME", "ACTOR", "ACTION", "MODEL", "CHANGE", "STATE", "REASON", "ID", "MESSAGE"})))
	lines = append(lines, m.listLines(cols)...)
	for len(lines) < m.height-btoi(m.filterLine()) {
		lines = append(lines, "")
	}
	lines = lines[:min(len(lines), m.height-btoi(m.filterLine()))]
	if m.filterLine() {
		if m.filtering {
			lines = append(lines, " "+m.filter.View())
		} else {
			lines = append(lines, " "+th.Key.Render("/"+termsafe.Clean(m.query))+"  "+th.Subtle.Render("/ edits the filter"))
		}
	}
	for i, l := range lines {
		if lipgloss.Width(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// titleLine says what is listed, how many, what the filter kept and how
// many torn lines were skipped.
func (m *Model) titleLine() string {
	th, g := m.c.Theme, m.c.Glyphs
	sep := th.Subtle.Render(" · ")
	who := "every model"
	if m.model != "" {
		who = termsafe.Clean(m.model)
	}
	out := " " + th.Title.Render("Audit log") + sep + th.Text.Render(who)
	total := len(audit.Latest(m.records))
	if m.loaded {
		out += sep + th.Text.Render(plural(total, "action"))
	}
	if m.query != "" {
		out += sep + th.Text.Render(fmt.Sprintf("%d shown", len(m.rows)))
	}
	if m.torn > 0 {
		out += sep + th.Warn.Render(g.Warn+" "+plural(m.torn, "torn line")+" skipped")
	}
	if m.loading {
		out += sep + th.Muted.Render("reading…")
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// listLines are the rows with their expansions, from the scroll offset.
func (m *Model) listLines(cols columns) []string {
	th := m.c.Theme
	h := m.listHeight()
	switch {
	case h <= 0:
		return nil
	case !m.loaded:
		return []string{" " + th.Muted.Render("reading the audit log…")}
	case m.err != "" && len(m.rows) == 0:
		return []string{" " + th.Bad.Render(m.c.Glyphs.Bad+" cannot read the audit log: "+termsafe.Clean(m.err))}
	case len(m.rows) == 0 && m.query != "":
		return []string{" " + th.Muted.Render("no action matches the filter; esc after / clears it")}
	case len(m.rows) == 0:
		return []string{" " + th.Muted.Render("no actions recorded yet: R rolls back and T retrains the model under the cursor")}
	}
	var out []string
	line := 0
	for i, r := range m.rows {
		if line >= m.list.Offset+h {
			break
		}
		block := append([]string{m.rowLine(cols, r, i == m.list.Sel)}, m.expansion(r)...)
		for _, l := range block {
			if line >= m.list.Offset && line < m.list.Offset+h {
				out = append(out, l)
			}
			line++
		}
	}
	if m.err != "" && len(out) > 0 {
		out[len(out)-1] = " " + th.Bad.Render(m.c.Glyphs.Bad+" cannot read the audit log again: "+termsafe.Clean(m.err))
	}
	return out
}

// rowLine is one action on one line.
func (m *Model) rowLine(cols columns, r row, selected bool) string {
	th, g := m.c.Theme, m.c.Glyphs
	l := r.latest
	icon, st := stateLook(th, g, l.State)
	cells := [9]string{
		stamp(l.Time, m.c.Now), termsafe.Clean(l.Actor.User), actionName(l), termsafe.Clean(l.Model), change(l),
		icon + " " + stateWord(l.State), termsafe.Clean(l.Reason), shortID(l.ID), message(l),
	}
	if selected {
		return th.Selected.Render(padRight(m.cells(cols, cells), m.width))
	}
	styled := m.cells(cols, cells)
	// Colour the state cell; the icon and word already say it without colour.
	start := 1
	for _, w := range []int{cols.time, cols.actor, cols.action, cols.model, cols.change} {
		if w > 0 {
			start += w + gap
		}
	}
	stateCell := padRight(ansi.Truncate(cells[5], cols.state, "…"), cols.state)
	return th.Text.Render(ansi.Cut(styled, 0, start)) + st.Render(stateCell) + th.Text.Render(ansi.Cut(styled, start+cols.state, lipgloss.Width(styled)))
}

// cells lays out one line of the columns, each cut to its width.
func (m *Model) cells(c columns, v [9]string) string {
	widths := [9]int{c.time, c.actor, c.action, c.model, c.change, c.state, c.reason, c.id, c.message}
	var b strings.Builder
	b.WriteString(" ")
	first := true
	for i, w := range widths {
		if w <= 0 {
			continue
		}
		if !first {
			b.WriteString(strings.Repeat(" ", gap))
		}
		first = false
		b.WriteString(padRight(ansi.Truncate(v[i], w, "…"), w))
	}
	return strings.TrimRight(b.String(), " ")
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
