package alertscreen

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// Lines above the list: the title line and the column header.
const headLines = 2

const gap = 2

func (m *Model) listHeight() int { return max(m.height-headLines, 0) }

// columns are the list's widths; 0 hides one.
type columns struct {
	state, since, name, where, severity, summary, silenced int
}

func (m *Model) columns() columns {
	c := columns{state: 11, since: 5, name: 5, where: 7, severity: 8}
	longest := 0
	anySilenced := false
	for _, r := range m.rows {
		c.name = max(c.name, min(lipgloss.Width(termsafe.Clean(r.alert.Name)), 28))
		c.where = max(c.where, min(lipgloss.Width(m.where(r)), 24))
		c.severity = max(c.severity, min(lipgloss.Width(termsafe.Clean(r.alert.Severity)), 10))
		if s := common.SilencedBy(r.alert, m.c.Now); s != "" {
			anySilenced = true
			longest = max(longest, lipgloss.Width(s))
		}
	}
	fixed := func() int { return 1 + c.state + c.since + c.name + c.where + c.severity + 5*gap }
	rest := m.width - fixed()
	if rest < 24 {
		// The summary says more than the severity, which the state's
		// order already reflects.
		rest += c.severity + gap
		c.severity = 0
	}
	if want := 32; rest < want {
		cut := min(want-rest, max(c.name-16, 0))
		c.name -= cut
		rest += cut
		cut = min(want-rest, max(c.where-15, 0))
		c.where -= cut
		rest += cut
	}
	if anySilenced && rest >= 64 {
		c.silenced = min(longest, rest/2)
		rest -= c.silenced + gap
	}
	c.summary = max(rest, 0)
	return c
}

// where is the row's model and version, or only its version on a
// model's own screen.
func (m *Model) where(r row) string {
	if m.model != "" {
		if v := r.alert.Version; v != "" {
			return "v" + termsafe.Clean(v)
		}
		return "—"
	}
	return where(r)
}

// View draws the title line, the column header and the list.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.c.Theme
	lines := []string{m.titleLine()}
	sum, src := m.state()
	switch {
	case sum == nil:
		lines = append(lines, "", " "+th.Muted.Render("no alert source: alerts come from the rule evaluator of prometheus.url (Prometheus, Thanos, Mimir)"),
			" "+th.Muted.Render("or from alertmanager.url; the built-in engine evaluates no rules"))
	case !sum.Known:
		lines = append(lines, "", " "+th.Bad.Render(m.c.Glyphs.Bad+" alerts unknown: "+m.unknownReason(src)))
	default:
		cols := m.columns()
		whereTitle := "MODEL"
		if m.model != "" {
			whereTitle = "VERSION"
		}
		lines = append(lines, th.Header.Render(cells(cols, [7]string{"STATE", "SINCE", "ALERT", whereTitle, "SEVERITY", "SUMMARY", "SILENCED BY"})))
		lines = append(lines, m.listLines(cols)...)
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i, l := range lines {
		if lipgloss.Width(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// unknownReason is why the alerts are unknown and since when.
func (m *Model) unknownReason(src *fleet.SourceStatus) string {
	if src == nil {
		return "not read yet"
	}
	msg := termsafe.Clean(src.Error)
	if msg == "" {
		msg = "not read yet"
	}
	if !src.LastSuccess.IsZero() {
		msg += " · last read " + human.Duration(max(m.c.Now.Sub(src.LastSuccess), 0)) + " ago"
	}
	return msg
}

// titleLine says whose alerts these are, how many of each state, and
// where they come from.
func (m *Model) titleLine() string {
	th := m.c.Theme
	sep := th.Subtle.Render(" · ")
	who := "every model"
	if m.model != "" {
		who = termsafe.Clean(m.model)
	}
	out := " " + th.Title.Render("Alerts") + sep + th.Text.Render(who)
	sum, src := m.state()
	if sum == nil || !sum.Known {
		return out
	}
	var firing, pending, suppressed int
	for _, r := range m.rows {
		switch r.alert.State {
		case fleet.AlertFiring:
			firing++
		case fleet.AlertPending:
			pending++
		case fleet.AlertSuppressed:
			suppressed++
		}
	}
	if firing > 0 {
		out += sep + th.Bad.Render(fmt.Sprintf("%s %d firing", m.c.Glyphs.Bell, firing))
	} else {
		out += sep + th.Text.Render("none firing")
	}
	if pending > 0 {
		out += sep + th.Warn.Render(fmt.Sprintf("%d pending", pending))
	}
	if suppressed > 0 {
		out += sep + th.Paused.Render(fmt.Sprintf("%d suppressed", suppressed))
	}
	if src != nil && src.Backend != "" {
		out += sep + th.Muted.Render("from "+termsafe.Clean(src.Backend))
	}
	if src != nil && len(src.Warnings) > 0 {
		out += sep + th.Warn.Render(m.c.Glyphs.Warn+" "+termsafe.Clean(src.Warnings[0]))
	}
	return out
}

// listLines are the rows with their expansions, from the scroll offset.
func (m *Model) listLines(cols columns) []string {
	th := m.c.Theme
	h := m.listHeight()
	if h <= 0 {
		return nil
	}
	if len(m.rows) == 0 {
		msg := "no alert is firing, pending or silenced"
		if m.model != "" {
			msg += " for " + termsafe.Clean(m.model)
		}
		return []string{" " + th.Muted.Render(msg)}
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
	return out
}

// rowLine is one alert on one line.
func (m *Model) rowLine(cols columns, r row, selected bool) string {
	th, g := m.c.Theme, m.c.Glyphs
	a := r.alert
	icon, word, st := stateLook(th, g, a)
	summary := termsafe.Clean(a.Summary)
	silenced := common.SilencedBy(a, m.c.Now)
	if cols.silenced == 0 && silenced != "" {
		// No room for its own column: who silenced it takes the
		// summary's place (the state already says "silenced").
		summary = silenced
	}
	v := [7]string{icon + " " + word, since(a, m.c.Now), termsafe.Clean(a.Name), m.where(r), termsafe.Clean(a.Severity), summary, silenced}
	if selected {
		return th.Selected.Render(padRight(cells(cols, v), m.width))
	}
	widths := cols.widths()
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
		cell := padRight(ansi.Truncate(v[i], w, "…"), w)
		switch i {
		case 0:
			b.WriteString(st.Render(cell))
		case 1, 4:
			b.WriteString(th.Muted.Render(cell))
		case 6:
			b.WriteString(th.Paused.Render(cell))
		default:
			b.WriteString(th.Text.Render(cell))
		}
	}
	return b.String()
}

// expansion is the lines an expanded row adds below it: description,
// labels, silences and inhibitors.
func (m *Model) expansion(r row) []string {
	if !m.expanded[r.key] {
		return nil
	}
	th := m.c.Theme
	a := r.alert
	ind := "      "
	var out []string
	detail := func(label, value string) {
		if value != "" {
			out = append(out, ind+th.Muted.Render(padRight(label, 13))+th.Text.Render(value))
		}
	}
	detail("summary", termsafe.Clean(a.Summary))
	detail("description", strings.Join(strings.Fields(termsafe.Clean(a.Description)), " "))
	var labels []string
	for _, k := range slices.Sorted(maps.Keys(a.Labels)) {
		labels = append(labels, termsafe.Clean(k)+"="+termsafe.Clean(a.Labels[k]))
	}
	detail("labels", strings.Join(labels, " "))
	if !a.Since.IsZero() {
		detail("active since", a.Since.In(m.c.Now.Location()).Format("2006-01-02 15:04:05"))
	}
	for _, s := range a.SilencedBy {
		text := "id " + termsafe.Clean(s.ID)
		if s.Author != "" {
			text += " by " + termsafe.Clean(s.Author)
		}
		if !s.Ends.IsZero() {
			text += " until " + common.ClockTime(s.Ends, m.c.Now)
		}
		if c := termsafe.Clean(s.Comment); c != "" {
			text += ": " + c
		}
		detail("silence", text)
	}
	if len(a.InhibitedBy) > 0 {
		ids := make([]string, len(a.InhibitedBy))
		for i, id := range a.InhibitedBy {
			ids[i] = termsafe.Clean(id)
		}
		detail("inhibited by", strings.Join(ids, ", "))
	}
	return out
}

func (c columns) widths() [7]int {
	return [7]int{c.state, c.since, c.name, c.where, c.severity, c.summary, c.silenced}
}

// cells lays out one line of the columns, each cut to its width.
func cells(c columns, v [7]string) string {
	var b strings.Builder
	b.WriteString(" ")
	first := true
	for i, w := range c.widths() {
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

// rowLines is how many list lines row i takes: itself and its expansion.
func (m *Model) rowLines(i int) int { return 1 + len(m.expansion(m.rows[i])) }

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
