package auditscreen

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/page"
)

// keyMap holds the screen's own bindings; esc (back) belongs to the root.
type keyMap struct {
	page.Keys
	Expand  key.Binding
	Filter  key.Binding
	Refresh key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Keys:    page.ListKeys("newest", "oldest"),
		Expand:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "state changes")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
	}
}

// ShortHelp is the one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Expand, k.Filter, k.Refresh, k.Down}
}

// FullHelp is the ? view.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Expand, k.Filter, k.Refresh},
	}
}

// filterKeys are shown while the filter is typed.
type filterKeys struct{}

func (filterKeys) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

func (k filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// inputStyles are the filter input's styles in the theme's colours.
func inputStyles(c *common.Common) textinput.Styles {
	t := c.Theme
	s := textinput.DefaultStyles(t.Palette.Dark)
	state := textinput.StyleState{Text: t.Text, Placeholder: t.Subtle, Suggestion: t.Subtle, Prompt: t.Key}
	s.Focused, s.Blurred = state, state
	s.Cursor.Blink = false
	s.Cursor.Color = t.Palette.Accent
	if t.NoColor {
		s.Cursor.Color = nil
	}
	return s
}
