package root

import (
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/ui/common"
)

// The screen stack: the fleet at the bottom, pushed screens above it; keys
// go to the top one, data to all of them.

func (m *Model) top() common.Screen { return m.stack[len(m.stack)-1] }

// updateTop sends msg to the top screen only (keys, mouse).
func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	i := len(m.stack) - 1
	s, cmd := m.stack[i].Update(msg)
	if s != nil {
		m.stack[i] = s
	}
	return cmd
}

// broadcast sends msg to every screen on the stack, bottom first, so the
// fleet stays current under a pushed detail screen.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.stack))
	for i := range m.stack {
		s, cmd := m.stack[i].Update(msg)
		if s != nil {
			m.stack[i] = s
		}
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// push opens a screen on top of the stack.
func (m *Model) push(s common.Screen) tea.Cmd {
	if s == nil {
		return nil
	}
	s.SetSize(m.lay.width, m.lay.bodyHeight)
	if ms, ok := s.(modelScreen); ok {
		m.followModel(ms.Model())
	}
	m.stack = append(m.stack, s)
	return m.initScreen(s)
}

// pinner is a screen with a cursor on one model (the fleet) that can be
// told to keep it on a model.
type pinner interface{ Pin(model string) }

// followModel keeps the fleet's cursor on the model just opened or acted
// on, so going back finds it there however the fleet re-sorted.
func (m *Model) followModel(name string) {
	if p, ok := m.stack[0].(pinner); ok && name != "" {
		p.Pin(name)
	}
}

// pushOr pushes s, or says why there is nothing to push.
func (m *Model) pushOr(s common.Screen, missing string) tea.Cmd {
	if s == nil {
		m.flash.set(missing, true, m.c.Now)
		return nil
	}
	return m.push(s)
}

// initer is implemented by screens that start work when opened (a history fetch).
type initer interface{ Init() tea.Cmd }

func (m *Model) initScreen(s common.Screen) tea.Cmd {
	if i, ok := s.(initer); ok {
		return i.Init()
	}
	return nil
}

// pop closes the top screen; the fleet screen is never closed.
func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack[len(m.stack)-1] = nil
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// popToRoot closes every screen above the fleet.
func (m *Model) popToRoot() {
	for len(m.stack) > 1 {
		m.pop()
	}
}
