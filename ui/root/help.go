package root

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/termsafe"
)

// The help overlay (?) lists every key: the current screen's, the global
// ones, the inputs' and the : commands, generated from the key maps so it
// cannot drift from what the keys do. Taller than the window, it scrolls.

// helpInner is the help text width for a body w cells wide.
func helpInner(w int) int { return max(w-4, 10) }

// helpPage is how many help lines show in a body h lines tall.
func helpPage(h int) int { return max(h-3, 1) }

// helpLines renders the whole help text, cut to width.
func (m *Model) helpLines(width int) []string {
	t := m.c.Theme
	hm := help.New()
	hm.Styles = helpStyles(t)
	hm.FullSeparator = "   "
	sections := []struct {
		title  string
		groups [][]key.Binding
	}{
		{"On this screen (" + termsafe.Clean(m.top().Title()) + ")", m.top().Keys().FullHelp()},
		{"Actions on the model", m.actionHelp()},
		{"Everywhere", m.keys.FullHelp()},
		{"Filter / and command :", m.input.FullHelp()},
	}
	var blocks []string
	for _, s := range sections {
		var cols []string
		for _, g := range s.groups {
			if len(g) > 0 {
				cols = append(cols, hm.FullHelpView([][]key.Binding{g}))
			}
		}
		if len(cols) > 0 {
			blocks = append(blocks, t.Header.Render(s.title)+"\n"+flow(cols, width, "   "))
		}
	}
	blocks = append(blocks, t.Header.Render("Commands")+"\n"+m.commandHelp(width))
	blocks = append(blocks, t.Header.Render("Filter terms (every one must match; a leading ! negates one)")+"\n"+m.filterHelp(width))
	return fitCut(strings.Join(blocks, "\n\n"), width)
}

// helpBox is the overlay: the help text in a box, a page of it when the
// body is too short, with a footer saying where the page is.
func (m *Model) helpBox(w, h int) string {
	t := m.c.Theme
	lines := m.helpLines(helpInner(w))
	if len(lines) > max(h-2, 1) {
		page := helpPage(h)
		off := min(max(m.helpOffset, 0), len(lines)-page)
		footer := t.Subtle.Render(fmt.Sprintf("↑↓ scroll · lines %d–%d of %d", off+1, off+page, len(lines)))
		lines = append(lines[off:off+page:off+page], footer)
	}
	return t.Dialog.Render(strings.Join(lines, "\n"))
}

// openHelp shows the help from its top.
func (m *Model) openHelp() {
	m.overlay, m.helpOffset = overlayHelp, 0
}

// helpKey closes or scrolls the help overlay.
func (m *Model) helpKey(k tea.KeyPressMsg) {
	step := 0
	switch k.String() {
	case "esc", "?", "q":
		m.overlay = overlayNone
		return
	case "down", "j":
		step = 1
	case "up", "k":
		step = -1
	case "pgdown", "space":
		step = helpPage(m.lay.bodyHeight)
	case "pgup":
		step = -helpPage(m.lay.bodyHeight)
	}
	last := max(len(m.helpLines(helpInner(m.lay.width)))-helpPage(m.lay.bodyHeight), 0)
	m.helpOffset = min(max(m.helpOffset+step, 0), last)
}

// flow lays blocks left to right, wrapping to a new row when the next one
// would pass width.
func flow(blocks []string, width int, gap string) string {
	var rows []string
	var row []string
	used := 0
	for _, b := range blocks {
		bw := lipgloss.Width(b)
		if len(row) > 0 && used+len(gap)+bw > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
		if len(row) > 0 {
			row = append(row, gap)
			used += len(gap)
		}
		row = append(row, b)
		used += bw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n")
}

// commandHelp lists the : commands with their arguments.
func (m *Model) commandHelp(width int) string {
	t := m.c.Theme
	var lines []string
	for _, c := range commands {
		name := ":" + c.name
		for _, a := range c.aliases {
			name += " :" + a
		}
		if c.usage != "" {
			name += " " + c.usage
		}
		lines = append(lines, t.Key.Render(padRight(name, 26))+" "+t.KeyDesc.Render(c.desc))
	}
	return strings.Join(fitCut(strings.Join(lines, "\n"), width), "\n")
}

// filterTerms is the / filter's syntax, as the fleet screen parses it.
var filterTerms = [][2]string{
	{"fraud", "a name, version or tag value containing it"},
	{"/^pay.*/", "a regular expression"},
	{"team=risk", "a tag, exactly"},
	{"health=critical", "health: ok, warn, critical or unknown; the bare word too (!ok)"},
	{"track=canary", "a serving version on that track: stable, canary or shadow"},
}

// filterHelp lists the filter terms, one a line.
func (m *Model) filterHelp(width int) string {
	t := m.c.Theme
	lines := make([]string, len(filterTerms))
	for i, ft := range filterTerms {
		lines[i] = t.Key.Render(padRight(ft[0], 26)) + " " + t.KeyDesc.Render(ft[1])
	}
	return strings.Join(fitCut(strings.Join(lines, "\n"), width), "\n")
}
