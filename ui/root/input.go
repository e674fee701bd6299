package root

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/ui/common"
)

// handleKey routes a key press by focus: an open input or overlay first,
// then a screen that is taking text, then the global keys, then the screen.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.ForceQuit) {
		return m.quit()
	}
	switch m.overlay {
	case overlayFilter:
		return m.filterKey(k)
	case overlayPalette:
		return m.paletteKey(k)
	case overlayHelp:
		m.helpKey(k)
		return nil
	case overlayDialog:
		return m.dialogKey(k)
	case overlayApprovals:
		return m.approvalsKey(k)
	}
	if m.top().Capturing() {
		return m.updateTop(k)
	}
	if o, ok := m.top().(keyOwner); ok && o.OwnsKey(k) {
		return m.updateTop(k)
	}
	m.flash.clear()
	switch {
	case key.Matches(k, m.keys.Quit) && len(m.stack) > 1:
		// Above the fleet q goes back, as esc does: quitting is q on the
		// fleet, or ctrl+c.
		if !m.cancelPending() {
			m.pop()
		}
		return nil
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Help):
		m.openHelp()
		return nil
	case key.Matches(k, m.keys.Command):
		m.overlay = overlayPalette
		return m.palette.open(m.commandCandidates)
	case key.Matches(k, m.keys.Filter):
		// Only the fleet is filtered: show it while typing.
		m.popToRoot()
		m.overlay = overlayFilter
		return m.filter.open()
	case key.Matches(k, m.keys.Range):
		return m.setRange(rangeForKey(k.String()))
	case key.Matches(k, m.keys.Earlier) && !m.topBinds(k):
		return m.step(-1)
	case key.Matches(k, m.keys.Later) && !m.topBinds(k):
		return m.step(+1)
	case key.Matches(k, m.keys.NoColor):
		return m.toggleColor()
	case key.Matches(k, m.keys.Back):
		if m.cancelPending() {
			return nil
		}
		if len(m.stack) > 1 {
			m.pop()
			return nil
		}
		if m.filter.applied != "" {
			return m.applyFilter("", true)
		}
		return nil
	}
	if cmd, ok := m.actionKey(k); ok {
		return cmd
	}
	return m.updateTop(k)
}

// rangeForKey maps 1–4 to common.Ranges; 0 for any other key.
func rangeForKey(s string) time.Duration {
	if len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(common.Ranges) {
		return common.Ranges[s[0]-'1']
	}
	return 0
}

// handlePaste sends pasted text to whatever is taking text.
func (m *Model) handlePaste(p tea.PasteMsg) tea.Cmd {
	switch m.overlay {
	case overlayFilter:
		return m.filterInput(p)
	case overlayPalette:
		return m.paletteInput(p)
	case overlayDialog:
		return m.dialogKey(p)
	case overlayNone:
		if m.top().Capturing() {
			return m.updateTop(p)
		}
	}
	return nil
}

// handleMouse forwards mouse events in the body to the top screen, in the
// body's coordinates. Events on the root's own lines, or under an
// overlay, are not the screen's.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if wheel, ok := msg.(tea.MouseWheelMsg); ok && m.overlay == overlayHelp {
		switch wheel.Button {
		case tea.MouseWheelDown:
			m.helpKey(tea.KeyPressMsg{Code: tea.KeyDown})
		case tea.MouseWheelUp:
			m.helpKey(tea.KeyPressMsg{Code: tea.KeyUp})
		}
		return nil
	}
	if m.overlay != overlayNone {
		return nil
	}
	mouse := msg.Mouse()
	if !m.lay.inBody(mouse.Y) {
		return nil
	}
	mouse.Y -= m.lay.bodyTop
	var out tea.Msg
	switch msg.(type) {
	case tea.MouseClickMsg:
		out = tea.MouseClickMsg(mouse)
	case tea.MouseReleaseMsg:
		out = tea.MouseReleaseMsg(mouse)
	case tea.MouseWheelMsg:
		out = tea.MouseWheelMsg(mouse)
	case tea.MouseMotionMsg:
		out = tea.MouseMotionMsg(mouse)
	default:
		return nil
	}
	return m.updateTop(out)
}
