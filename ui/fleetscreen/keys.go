package fleetscreen

import "charm.land/bubbles/v2/key"

// KeyMap is the fleet screen's bindings; the help view renders it.
type KeyMap struct {
	Up, Down         key.Binding
	Top, Bottom      key.Binding
	PageUp, PageDown key.Binding
	HalfUp, HalfDown key.Binding
	Open             key.Binding
	Drift, Compare   key.Binding
	Sort, Reverse    key.Binding
}

// DefaultKeys are the fleet screen's default bindings.
func DefaultKeys() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Drift:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "drift")),
		Compare:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
	}
}

// ShortHelp is the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Drift, k.Compare, k.Sort, k.Reverse}
}

// FullHelp is the ? view, by column: moving, paging, acting.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.PageUp, k.PageDown, k.HalfUp, k.HalfDown},
		{k.Open, k.Drift, k.Compare, k.Sort, k.Reverse},
	}
}
