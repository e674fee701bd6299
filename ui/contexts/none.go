package contexts

import (
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/termsafe"
)

// None is the dashboard of someone who may open no context: it says why
// and ends on any key.
type None struct{ Why string }

func (n None) Init() tea.Cmd { return nil }

func (n None) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return n, tea.Quit
	}
	return n, nil
}

func (n None) View() tea.View {
	return tea.NewView("mltop: " + termsafe.Clean(n.Why) + "\r\n(any key closes)")
}
