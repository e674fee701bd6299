package page

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// wheelStep is how many lines one notch of the mouse wheel scrolls.
const wheelStep = 3

// Keys are the scroll bindings every page shares.
type Keys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// NewKeys are the scroll bindings: arrows and vi keys, page keys, home/end.
func NewKeys() Keys {
	return Keys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
	}
}

// All are every scroll binding, for the ? view.
func (k Keys) All() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// ShortHelp is the one-line help of a screen that only scrolls.
func (k Keys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageDown}
}

// FullHelp is the ? view of a screen that only scrolls.
func (k Keys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.All()}
}

// Scroll is offset moved by msg, a scroll key or the mouse wheel, within
// the body; any other message leaves it as it is. A page key moves a body
// height less one line, so a line of context stays in view.
func (p Page) Scroll(offset int, msg tea.Msg, k Keys) int {
	step := max(p.BodyHeight-1, 1)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			return p.Clamp(offset - 1)
		case key.Matches(msg, k.Down):
			return p.Clamp(offset + 1)
		case key.Matches(msg, k.PageUp):
			return p.Clamp(offset - step)
		case key.Matches(msg, k.PageDown):
			return p.Clamp(offset + step)
		case key.Matches(msg, k.Top):
			return 0
		case key.Matches(msg, k.Bottom):
			return p.MaxOffset()
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			return p.Clamp(offset - wheelStep)
		case tea.MouseWheelDown:
			return p.Clamp(offset + wheelStep)
		}
	}
	return offset
}
