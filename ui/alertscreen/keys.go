package alertscreen

import (
	"charm.land/bubbles/v2/key"

	"github.com/mltop/mltop/ui/page"
)

// keyMap holds the screen's own bindings; esc (back) belongs to the root.
type keyMap struct {
	page.Keys
	Expand key.Binding
	Open   key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Keys:   page.ListKeys("first", "last"),
		Expand: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "labels and silences")),
		Open:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the model")),
	}
}

// ShortHelp is the one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Expand, k.Open, k.Down}
}

// FullHelp is the ? view.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Expand, k.Open},
	}
}
