package contexts

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// List is the contexts screen (:ctx): each context with its server,
// whether it is started, its models by health and its failing sources;
// enter switches to the one under the cursor.
type List struct {
	c    *common.Common
	rows []Health
	sel  int
	w, h int
	keys listKeys
}

// healthMsg carries the contexts' health again, after a snapshot.
type healthMsg struct{ rows []Health }

type listKeys struct{ Up, Down, Open key.Binding }

func (k listKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Open} }
func (k listKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// NewList is the contexts list over rows, the cursor on the current one.
func NewList(c *common.Common, rows []Health) *List {
	l := &List{c: c, rows: tallied(rows), keys: listKeys{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch")),
	}}
	for i, r := range rows {
		if r.Current {
			l.sel = i
		}
	}
	return l
}

func (l *List) Title() string        { return "contexts" }
func (l *List) Capturing() bool      { return false }
func (l *List) Keys() help.KeyMap    { return l.keys }
func (l *List) SetSize(width, h int) { l.w, l.h = width, h }
func (l *List) current() (Health, bool) {
	if l.sel < 0 || l.sel >= len(l.rows) {
		return Health{}, false
	}
	return l.rows[l.sel], true
}

// Update moves the cursor, switches on enter and takes fresh health.
func (l *List) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case healthMsg:
		l.rows = tallied(msg.rows)
		l.sel = min(l.sel, max(len(l.rows)-1, 0))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, l.keys.Up):
			l.sel = max(l.sel-1, 0)
		case key.Matches(msg, l.keys.Down):
			l.sel = min(l.sel+1, max(len(l.rows)-1, 0))
		case key.Matches(msg, l.keys.Open):
			r, ok := l.current()
			if !ok {
				return l, nil
			}
			if r.Current {
				return l, func() tea.Msg { return common.BackMsg{} }
			}
			name := r.Info.Name
			return l, func() tea.Msg { return common.SwitchContextMsg{Name: name} }
		}
	}
	return l, nil
}

// column widths of the list; the server and failing sources take the rest.
const (
	markW  = 2
	stateW = 11
	countW = 5
)

// View draws a header and one line per context, exactly w×h.
func (l *List) View() string {
	t := l.c.Theme
	nameW := len("CONTEXT")
	for _, r := range l.rows {
		nameW = max(nameW, lipgloss.Width(termsafe.Clean(r.Info.Name)))
	}
	nameW = min(nameW, 24)
	hostW := len("SERVER")
	for _, r := range l.rows {
		hostW = max(hostW, lipgloss.Width(termsafe.Clean(r.Info.Host)))
	}
	hostW = min(hostW, 32)
	lines := make([]string, 0, l.h)
	head := strings.Repeat(" ", markW) + pad("CONTEXT", nameW) + " " + pad("SERVER", hostW) + " " + pad("STATE", stateW) +
		fmt.Sprintf(" %*s %*s %*s %*s  %s", countW, "OK", countW, "WARN", countW, "CRIT", countW, "UNKN", "FAILING")
	lines = append(lines, t.Header.Render(fit(head, l.w)))
	for i, r := range l.rows {
		lines = append(lines, l.row(r, i == l.sel, nameW, hostW))
	}
	if len(l.rows) > 0 {
		lines = append(lines, "", t.Muted.Render(fit(" "+l.c.Glyphs.Marked+" is the context shown; enter switches, :ctx all shows every fleet at once", l.w)))
	}
	for len(lines) < l.h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:l.h], "\n")
}

func (l *List) row(r Health, selected bool, nameW, hostW int) string {
	t, g := l.c.Theme, l.c.Glyphs
	mark := "  "
	if r.Current {
		mark = g.Marked + " "
	}
	name := common.ContextStyle(t, r.Info.Color).Render(pad(termsafe.Clean(r.Info.Name), nameW))
	host := termsafe.Clean(r.Info.Host)
	if host == "" {
		host = "—"
	}
	state, stateStyle := "not started", t.Muted
	switch {
	case r.Err != "":
		state, stateStyle = "failed", t.Bad
	case r.Opening:
		state = "starting…"
	case r.Started && r.Snapshot == nil:
		state = "first poll…"
	case r.Started && r.LookingBack:
		state, stateStyle = "looks back", t.Warn
	case r.Started:
		state, stateStyle = "started", t.Text
	}
	line := mark + name + " " + t.Muted.Render(pad(host, hostW)) + " " + stateStyle.Render(pad(state, stateW))
	switch {
	case r.Snapshot != nil:
		c := r.tally
		line += " " + num(t.OK, c.ok) + " " + num(t.Warn, c.warn) + " " + num(t.Bad, c.crit) + " " + num(t.Unknown, c.unknown)
		if len(r.down) > 0 {
			line += "  " + t.Bad.Render(g.Bad+" "+strings.Join(r.down, ", "))
		} else {
			line += "  " + t.Muted.Render("none")
		}
	case r.Err != "":
		line += "  " + t.Bad.Render(termsafe.Clean(r.Err))
	default:
		line += " " + strings.Repeat(" ", 4*(countW+1)-1) + "  " + t.Muted.Render("—")
	}
	line = ansi.Truncate(line, l.w, "…")
	if selected {
		w := lipgloss.Width(line)
		return t.Selected.Render(ansi.Strip(line) + strings.Repeat(" ", max(l.w-w, 0)))
	}
	return line
}

// num is a count right-aligned in its column; 0 muted, so the counts
// that matter stand out.
func num(s lipgloss.Style, n int) string {
	text := fmt.Sprintf("%*d", countW, n)
	if n == 0 {
		return lipgloss.NewStyle().Faint(true).Render(text)
	}
	return s.Render(text)
}

func pad(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
}

func fit(s string, w int) string { return ansi.Truncate(s, w, "…") }
