package root

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// globalKeys are the bindings the root handles on every screen, k9s-style.
type globalKeys struct {
	// Quit is q: it quits on the fleet and goes back on a screen above it,
	// so q never drops an on-call out of mltop from a detail screen.
	Quit      key.Binding
	QuitBack  key.Binding // q as the key line shows it above the fleet
	QuitHelp  key.Binding // q as the help overlay explains it
	ForceQuit key.Binding
	Help      key.Binding
	Command   key.Binding
	Filter    key.Binding
	Back      key.Binding
	Range     key.Binding
	RangeFull key.Binding // the same keys, described for the help overlay
	// NoColor turns colours off and on again: SSH clients rarely forward
	// NO_COLOR, so a viewer needs a key for it.
	NoColor key.Binding
	// Earlier and Later step the time looked at by the graph range
	// (docs/lookback.md); a screen binding [ or ] itself keeps them.
	Earlier key.Binding
	Later   key.Binding
	Steps   key.Binding // both, described for the help overlay
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		QuitBack:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "back")),
		QuitHelp:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "back; quit on the fleet")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit, even while typing")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Command:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "cmd")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back / close")),
		Range:     key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "range")),
		RangeFull: key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "range "+strings.ReplaceAll(rangeUsage(), "|", " "))),
		NoColor:   key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "colours off / on")),
		Earlier:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "look back a range")),
		Later:     key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "a range later")),
		Steps:     key.NewBinding(key.WithKeys("[", "]"), key.WithHelp("[ ]", "a range back / on in time")),
	}
}

// ShortHelp is what the bottom line adds after the screen's own keys
// (? help has a fixed place at the right end); sub is true above the fleet.
func (k globalKeys) ShortHelp(sub bool) []key.Binding {
	if sub {
		return []key.Binding{k.Range, k.QuitBack}
	}
	return []key.Binding{k.Range, k.Quit}
}

// FullHelp is the "Global" column group of the help overlay.
func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Help, k.Command, k.Filter, k.RangeFull, k.Steps},
		{k.Back, k.QuitHelp, k.ForceQuit, k.NoColor},
	}
}

// inputKeys are the keys of the filter and command inputs, for the help overlay.
type inputKeys struct {
	Accept, Cancel, Complete, Next key.Binding
}

func newInputKeys() inputKeys {
	return inputKeys{
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel / clear filter")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete command")),
		Next:     key.NewBinding(key.WithKeys("down", "up"), key.WithHelp("↑↓", "choose completion")),
	}
}

func (k inputKeys) ShortHelp() []key.Binding { return []key.Binding{k.Accept, k.Cancel, k.Complete} }
func (k inputKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Accept, k.Cancel, k.Complete, k.Next}}
}
