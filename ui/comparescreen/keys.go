package comparescreen

import (
	"charm.land/bubbles/v2/key"

	"github.com/mltop/mltop/ui/page"
)

// keyMap holds the screen's bindings: choosing versions and scrolling.
// Back (esc) and the range keys (1–4) belong to the root.
type keyMap struct {
	Left, Right  key.Binding
	Mark         key.Binding
	Swap         key.Binding
	PrevA, NextA key.Binding
	PrevB, NextB key.Binding
	page.Keys
}

func newKeyMap() keyMap {
	return keyMap{
		Left:  key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous version")),
		Right: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next version")),
		Mark:  key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark version (two compare)")),
		Swap:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "swap A and B")),
		PrevA: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous A")),
		NextA: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next A")),
		PrevB: key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "previous B")),
		NextB: key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "next B")),
		Keys:  page.NewKeys(),
	}
}

// ShortHelp is the one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Left, k.Mark, k.Swap, k.Down}
}

// FullHelp is the ? view.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Left, k.Right, k.Mark, k.Swap},
		{k.PrevA, k.NextA, k.PrevB, k.NextB},
		k.All(),
	}
}
