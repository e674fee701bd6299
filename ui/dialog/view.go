package dialog

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// labelWidth is the column of the field labels ("meaning  ").
const labelWidth = 10

// maxBoxWidth keeps lines readable on wide terminals.
const maxBoxWidth = 96

// boxWidth is the dialog's outer width for the body it is drawn over.
func (m *Model) boxWidth() int {
	if m.width <= 0 {
		return maxBoxWidth
	}
	return max(min(m.width-2, maxBoxWidth), min(m.width, 24))
}

// innerWidth is the width of the text inside the border and padding.
func (m *Model) innerWidth() int { return max(m.boxWidth()-4, 8) }

// View is the dialog box, no wider than the body and no taller than it;
// the root draws it centred over the screen.
func (m *Model) View() string {
	var lines []string
	switch m.phase {
	case editing:
		lines = m.editingLines()
	case sending:
		lines = m.sendingLines()
	case done:
		lines = m.doneLines()
	}
	if m.height > 2 && len(lines) > m.height-2 {
		lines = lines[:m.height-2]
	}
	return m.frame(m.title(), lines)
}

func (m *Model) title() string {
	t := m.plan.Title
	if t == "" {
		t = termsafe.Clean(m.plan.Action)
	}
	t = termsafe.Clean(t) + " " + termsafe.Clean(m.plan.Model)
	if c := m.plan.Context; c != "" {
		// First, so that a narrow box cuts the model's name, not where
		// the action goes.
		t = termsafe.Clean(c) + ": " + t
	}
	return t
}

// frame draws lines in a rounded box with the title in its top border.
func (m *Model) frame(title string, lines []string) string {
	th := m.c.Theme
	// The theme's dialog border colour (NoColor{} when it has none).
	border := lipgloss.NewStyle().Foreground(th.Dialog.GetBorderTopForeground())
	bw, cw := m.boxWidth(), m.innerWidth()
	b := lipgloss.RoundedBorder()
	title = ansi.Truncate(title, max(bw-6, 1), "…")
	fill := max(bw-5-lipgloss.Width(title), 0)
	out := make([]string, 0, len(lines)+2)
	out = append(out, border.Render(b.TopLeft+b.Top+" ")+th.Title.Render(title)+border.Render(" "+strings.Repeat(b.Top, fill)+b.TopRight))
	for _, l := range lines {
		if lipgloss.Width(l) > cw {
			l = ansi.Truncate(l, cw, "…")
		}
		pad := strings.Repeat(" ", max(cw-lipgloss.Width(l), 0))
		out = append(out, border.Render(b.Left)+" "+l+pad+" "+border.Render(b.Right))
	}
	out = append(out, border.Render(b.BottomLeft+strings.Repeat(b.Bottom, max(bw-2, 0))+b.BottomRight))
	return strings.Join(out, "\n")
}

// labelled puts label in the label column before the first line of text
// wrapped to the room left, and indents the others.
func (m *Model) labelled(label string, style lipgloss.Style, text string, textStyle lipgloss.Style, maxLines int) []string {
	room := max(m.innerWidth()-labelWidth, 8)
	wrapped := strings.Split(ansi.Wrap(text, room, " "), "\n")
	if maxLines > 0 && len(wrapped) > maxLines {
		wrapped = wrapped[:maxLines]
		wrapped[maxLines-1] = ansi.Truncate(wrapped[maxLines-1]+" …", room, "…")
	}
	out := make([]string, len(wrapped))
	for i, w := range wrapped {
		lab := strings.Repeat(" ", labelWidth)
		if i == 0 {
			lab = style.Render(padRight(label, labelWidth))
		}
		out[i] = lab + textStyle.Render(w)
	}
	return out
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// labelStyle marks the focused row.
func (m *Model) labelStyle(f field) lipgloss.Style {
	if m.focus == f && m.phase == editing {
		return m.c.Theme.Key
	}
	return m.c.Theme.Muted
}

func (m *Model) editingLines() []string {
	th, g := m.c.Theme, m.c.Glyphs
	p := m.plan
	var lines []string
	if p.Context != "" {
		lines = append(lines, m.labelled("context", th.Muted, termsafe.Clean(p.Context), th.Bold, 1)...)
	}
	for i, ch := range p.Changes {
		label := ""
		if i == 0 {
			label = "change"
		}
		lines = append(lines, m.labelled(label, th.Muted, termsafe.Clean(ch), th.Bold, 2)...)
	}
	if p.Meaning != "" {
		lines = append(lines, m.labelled("meaning", th.Muted, termsafe.Clean(p.Meaning), th.Text, 3)...)
	}
	if actions.IsRolloutVerb(p.Action) {
		lines = append(lines, m.evidenceLines()...)
	}
	if sendsSummary(p.Action) {
		lines = append(lines, m.labelled("sends", th.Muted, termsafe.Clean(p.Summary.Text()), th.Text, 3)...)
	}
	if m.hasPicker() {
		lines = append(lines, m.pickerLines()...)
	}
	lines = append(lines, m.reasonLine())
	if p.TypedName {
		lines = append(lines, m.typedLines()...)
	}
	lines = append(lines, m.viaLine())
	if p.TwoPerson && p.Refusal == "" {
		lines = append(lines, m.labelled("approval", th.Warn, "a second operator approves it before it is sent", th.Warn, 2)...)
	}
	for _, w := range p.Warnings {
		lines = append(lines, m.labelled(g.Warn, th.Warn, termsafe.Clean(w), th.Warn, 2)...)
	}
	if m.planErr != "" {
		lines = append(lines, m.labelled(g.Bad, th.Bad, "cannot plan "+m.chosenLabel()+": "+termsafe.Clean(m.planErr), th.Bad, 3)...)
	} else if p.Refusal != "" && !m.replanning {
		lines = append(lines, m.labelled(g.Bad+" no", th.Bad, termsafe.Clean(p.Refusal), th.Bad, 3)...)
	}
	lines = append(lines, "", m.buttons())
	if miss := m.missing(); len(miss) > 0 {
		hint := "to enable " + m.confirmLabel() + ": " + strings.Join(miss, ", ")
		lines = append(lines, m.rightAligned(th.Subtle.Render(ansi.Truncate(hint, m.innerWidth(), "…"))))
	}
	return lines
}

// pickerLines is the version picker: the candidates newest first, the one
// chosen marked, and what is known of it.
func (m *Model) pickerLines() []string {
	th := m.c.Theme
	room := max(m.innerWidth()-labelWidth, 8)
	words := m.choiceLabels()
	// A window of candidates around the chosen one, when they do not all fit.
	first, last := 0, len(words)
	width := func(a, b int) int {
		n := 0
		for _, w := range words[a:b] {
			n += lipgloss.Width(w) + 4
		}
		return n + 4
	}
	for width(first, last) > room && last-first > 1 {
		if m.pick-first > last-1-m.pick {
			first++
		} else {
			last--
		}
	}
	var b strings.Builder
	if first > 0 {
		b.WriteString(th.Subtle.Render("‹ "))
	}
	for i := first; i < last; i++ {
		w := words[i]
		switch {
		case i == m.pick && m.focus == fieldPicker:
			b.WriteString(th.ButtonOn.Render(w))
		case i == m.pick:
			b.WriteString(th.Bold.Render("[" + w + "]"))
		default:
			b.WriteString(th.Text.Render(" " + w + " "))
		}
		if i < last-1 {
			b.WriteString("  ")
		}
	}
	if last < len(words) {
		b.WriteString(th.Subtle.Render(" ›"))
	}
	lines := []string{""}
	label := "to"
	if m.isSilence() {
		label = "for"
	}
	lines[0] = m.labelStyle(fieldPicker).Render(padRight(label, labelWidth)) + b.String()
	if m.focus == fieldPicker {
		lines[0] += "  " + th.Subtle.Render("←→")
	}
	if about := m.aboutChosen(); about != "" {
		lines = append(lines, m.labelled("", th.Muted, about, th.Muted, 2)...)
	}
	return lines
}

// aboutChosen says what the chosen version is: the default and why, its
// stage, aliases and age.
func (m *Model) aboutChosen() string {
	if m.pick < 0 || m.isSilence() || m.pick >= len(m.plan.Candidates) {
		return ""
	}
	c := m.plan.Candidates[m.pick]
	var parts []string
	if c.Version == m.plan.DefaultTo && m.plan.DefaultWhy != "" {
		parts = append(parts, termsafe.Clean(m.plan.DefaultWhy))
	} else if c.Version == m.plan.DefaultTo && m.plan.DefaultFrom != "" {
		what := "the default"
		if m.plan.From != "" {
			what = "the default: served before v" + termsafe.Clean(m.plan.From)
		}
		parts = append(parts, what+" ("+termsafe.Clean(m.plan.DefaultFrom)+")")
	}
	if c.Stage != "" && c.Stage != "None" {
		parts = append(parts, "stage "+termsafe.Clean(c.Stage))
	}
	for _, a := range c.Aliases {
		parts = append(parts, "@"+termsafe.Clean(a))
	}
	if !c.Created.IsZero() {
		parts = append(parts, "registered "+human.Duration(max(m.c.Now.Sub(c.Created), 0))+" ago")
	}
	if d := termsafe.Clean(c.Description); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, " · ")
}

func (m *Model) reasonLine() string {
	label := m.labelStyle(fieldReason).Render(padRight("reason", labelWidth))
	return label + m.inputView(m.reason, max(m.innerWidth()-labelWidth-1, 8))
}

// typedLines ask for the model's name, saying why.
func (m *Model) typedLines() []string {
	th, g := m.c.Theme, m.c.Glyphs
	why := "type the model name to confirm"
	if m.req.Snapshot != nil {
		if tier := termsafe.Clean(m.req.Snapshot.Tags["risk_tier"]); tier != "" {
			why = "risk tier " + strings.ToUpper(tier) + " — " + why
		}
	}
	prompt := m.labelStyle(fieldTyped).Render(why + ": ")
	in := m.inputView(m.typed, m.typed.Width()+1)
	mark := ""
	if v := strings.TrimSpace(m.typed.Value()); v == m.plan.Model {
		mark = " " + th.OK.Render(g.OK)
	} else if v != "" {
		mark = " " + th.Bad.Render(g.Bad+" not "+termsafe.Clean(m.plan.Model))
	}
	one := prompt + in + mark
	if lipgloss.Width(one) <= m.innerWidth() {
		return []string{one}
	}
	return []string{
		m.labelStyle(fieldTyped).Render(ansi.Truncate(why, m.innerWidth(), "…")),
		strings.Repeat(" ", labelWidth) + in + mark,
	}
}

// inputView is a text input cut to width cells.
func (m *Model) inputView(in interface{ View() string }, width int) string {
	return ansi.Truncate(in.View(), width, "")
}

// viaLine says where the request goes and its time limit.
func (m *Model) viaLine() string {
	th := m.c.Theme
	parts := []string{termsafe.Clean(m.plan.Adapter)}
	if t := termsafe.Clean(m.plan.Target); t != "" {
		parts = append(parts, t)
	}
	if m.plan.Timeout > 0 {
		parts = append(parts, "limit "+human.Duration(m.plan.Timeout))
	}
	room := max(m.innerWidth()-labelWidth, 8)
	return th.Muted.Render(padRight("via", labelWidth)) + th.Subtle.Render(ansi.Truncate(strings.Join(parts, " · "), room, "…"))
}

func (m *Model) confirmLabel() string {
	if m.plan.Title != "" {
		return termsafe.Clean(m.plan.Title)
	}
	return "Confirm"
}

// buttons is "[ Cancel ]   [ Roll back ]", right-aligned; the confirm
// button greyed while it cannot be pressed.
func (m *Model) buttons() string {
	th := m.c.Theme
	button := func(label string, on, enabled bool) string {
		switch {
		case on:
			return "[" + th.ButtonOn.Render(label) + "]"
		case !enabled:
			return th.Subtle.Faint(true).Render("[ " + label + " ]")
		}
		return "[" + th.Button.Render(label) + "]"
	}
	return m.rightAligned(button("Cancel", m.focus == fieldCancel, true) + "   " +
		button(m.confirmLabel(), m.focus == fieldConfirm, m.canConfirm()))
}

func (m *Model) rightAligned(s string) string {
	return strings.Repeat(" ", max(m.innerWidth()-lipgloss.Width(s)-1, 0)) + s
}

func (m *Model) sendingLines() []string {
	th, g := m.c.Theme, m.c.Glyphs
	var lines []string
	for _, ch := range m.plan.Changes {
		lines = append(lines, th.Bold.Render(ansi.Truncate(termsafe.Clean(ch), m.innerWidth(), "…")))
	}
	limit := m.plan.Timeout
	if limit <= 0 {
		limit = defaultLimit
	}
	lines = append(lines, "",
		th.Progressing.Render(g.Progressing+" sending…")+" "+th.Muted.Render(fmt.Sprintf("request %s, time limit %s", termsafe.Clean(m.req.ID), human.Duration(limit))),
		"",
		th.Subtle.Render(ansi.Truncate("esc hides this dialog; the outcome will show on the status line", m.innerWidth(), "…")))
	return lines
}

func (m *Model) doneLines() []string {
	th := m.c.Theme
	r := m.result
	icon, word := outcomeWords(m.c.Glyphs, r.Outcome)
	st := outcomeStyle(th, r.Outcome)
	msg := termsafe.Clean(strings.TrimSuffix(r.Message, "; "+r.Check))
	if r.Outcome == actions.Refused {
		msg += "; nothing was sent"
	}
	lines := m.labelled(icon+" "+word, st, msg, th.Text, 4)
	if r.Check != "" {
		lines = append(lines, m.labelled("check", th.Warn, termsafe.Clean(r.Check), th.Warn, 3)...)
	}
	if r.Outcome == actions.Succeeded {
		// One label for the list, as the plan showed it.
		for i, ch := range m.plan.Changes {
			label := ""
			if i == 0 {
				label = "changed"
			}
			lines = append(lines, m.labelled(label, th.Muted, termsafe.Clean(ch), th.Bold, 2)...)
		}
	}
	if r.RunID != "" && !strings.Contains(r.Message, r.RunID) { // a silence's message names its id
		lines = append(lines, m.labelled("run", th.Muted, termsafe.Clean(r.RunID), th.Text, 1)...)
	}
	if r.RunURL != "" {
		lines = append(lines, m.labelled("url", th.Muted, termsafe.Clean(r.RunURL), th.Text, 2)...)
	}
	if r.Status != 0 {
		lines = append(lines, m.labelled("answer", th.Muted, fmt.Sprintf("HTTP %d", r.Status), th.Text, 1)...)
	}
	rec := "recorded in the audit log"
	if !r.Recorded {
		rec = "NOT recorded in the audit log"
	}
	detail := "request " + termsafe.Clean(r.ID)
	if r.Duration > 0 {
		detail += " · " + human.Seconds(r.Duration.Seconds())
	}
	lines = append(lines, m.labelled("", th.Muted, detail+" · "+rec, th.Muted, 2)...)
	lines = append(lines, "", m.rightAligned("["+th.ButtonOn.Render("Close")+"]"))
	return lines
}
