package sshserve

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestInputCountsAgainstIdlenessAndSuspendIsIgnored(t *testing.T) {
	s := &Session{}
	for _, msg := range []tea.Msg{
		tea.KeyPressMsg{Code: 'j'}, tea.MouseWheelMsg{}, tea.PasteMsg{Content: "x"}, tea.WindowSizeMsg{Width: 80, Height: 24},
	} {
		s.lastInput.Store(0)
		if got := s.filter(nil, msg); got != msg {
			t.Errorf("%T changed to %T", msg, got)
		}
		if s.lastInput.Load() == 0 {
			t.Errorf("%T did not count as input", msg)
		}
	}
	s.lastInput.Store(0)
	if got := s.filter(nil, tea.BackgroundColorMsg{}); s.lastInput.Load() != 0 || got == nil {
		t.Errorf("a terminal's answer counted as input (or was dropped): %v", got)
	}
	if _, ok := s.filter(nil, tea.SuspendMsg{}).(tea.ResumeMsg); !ok {
		t.Error("ctrl+z would suspend the server's program")
	}
}
