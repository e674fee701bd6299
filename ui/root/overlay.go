package root

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// render draws the whole frame; View caches it (see frames).
func (m *Model) render() string {
	l := m.lay
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	lines := make([]string, 0, l.height)
	lines = append(lines, m.statusLine())
	if l.bodyHeight > 0 {
		lines = append(lines, m.body()...)
	}
	if l.height > topLines {
		lines = append(lines, m.keyLine())
	}
	return strings.Join(lines[:min(len(lines), l.height)], "\n")
}

// body is the top screen's view, held to exactly the body's size whatever
// the screen returned, with the open overlay drawn over it.
func (m *Model) body() []string {
	w, h := m.lay.width, m.lay.bodyHeight
	content := m.top().View()
	var box string
	var x, y int
	switch m.overlay {
	case overlayHelp:
		box = m.helpBox(w, h)
		x, y = max((w-lipgloss.Width(box))/2, 0), max((h-lipgloss.Height(box))/2, 0)
	case overlayPalette:
		box = m.candidatesBox(w, h)
		x, y = 0, max(h-lipgloss.Height(box), 0)
	case overlayDialog:
		box = m.act.dialog.View()
		x, y = max((w-lipgloss.Width(box))/2, 0), max((h-lipgloss.Height(box))/2, 0)
	case overlayApprovals:
		box = m.approvalsBox(w)
		x, y = max((w-lipgloss.Width(box))/2, 0), max((h-lipgloss.Height(box))/2, 0)
	}
	if box != "" {
		layers := lipgloss.NewCompositor(
			lipgloss.NewLayer(strings.Join(fit(content, w, h), "\n")),
			lipgloss.NewLayer(box).X(x).Y(y).Z(1),
		)
		content = lipgloss.NewCanvas(w, h).Compose(layers).Render()
	}
	return fit(content, w, h)
}

// fit cuts or pads s to exactly h lines no wider than w.
func fit(s string, w, h int) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, line := range lines {
		if lipgloss.Width(line) > w {
			lines[i] = ansi.Truncate(line, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// fitCut splits s into lines no wider than w, marking cut lines with "…".
func fitCut(s string, w int) []string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if lipgloss.Width(line) > w {
			lines[i] = ansi.Truncate(line, w, "…")
		}
	}
	return lines
}

// candidatesBox lists the completions of what is typed after :, the
// highlighted one first in line for tab.
func (m *Model) candidatesBox(w, h int) string {
	t := m.c.Theme
	cands := m.palette.cands
	if len(cands) == 0 || h < 3 {
		return ""
	}
	rows := min(len(cands), h-2, 8)
	if rows < len(cands) && rows > 1 && rows+3 > h {
		rows-- // room for the "more" line
	}
	first := 0
	if m.palette.sel >= rows {
		first = m.palette.sel - rows + 1
	}
	wordW := 0
	for _, c := range cands {
		wordW = max(wordW, lipgloss.Width(c.word))
	}
	inner := min(max(w/2, 40), w-4)
	lines := make([]string, 0, rows+1)
	for i := first; i < first+rows; i++ {
		c := cands[i]
		style := t.Text
		if i == m.palette.sel {
			style = t.Selected
		}
		word := style.Render(padRight(c.word, wordW))
		line := word
		if c.desc != "" {
			line += "  " + t.Muted.Render(c.desc)
		}
		lines = append(lines, line)
	}
	if more := len(cands) - rows; more > 0 {
		lines = append(lines, t.Subtle.Render("… "+strconv.Itoa(more)+" more"))
	}
	return t.Dialog.Render(strings.Join(fitCut(strings.Join(lines, "\n"), inner), "\n"))
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
