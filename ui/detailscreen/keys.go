package detailscreen

import (
	"charm.land/bubbles/v2/key"

	"github.com/mltop/mltop/ui/page"
)

// keyMap holds the screen's own bindings: scrolling, d for drift, c to
// compare versions, a for the model's alerts. Back (esc) and the range keys (1–4) belong to the
// root, which merges them into the help.
type keyMap struct {
	page.Keys
	Drift   key.Binding
	Compare key.Binding
	Alerts  key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Keys:    page.NewKeys(),
		Drift:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "drift")),
		Compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare versions")),
		Alerts:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "alerts")),
	}
}

// ShortHelp is the one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return append(k.Keys.ShortHelp(), k.Drift, k.Compare, k.Alerts)
}

// FullHelp is the ? view.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.All(), {k.Drift, k.Compare, k.Alerts}}
}
