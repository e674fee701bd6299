package fleetscreen

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/ui/common"
)

// wheelStep is how many lines one wheel notch scrolls.
const wheelStep = 3

func filterInfo(shown, total int, query string) string {
	return fmt.Sprintf("%d of %d models · filter %s", shown, total, query)
}

// body is the number of table lines below the header.
func (m *Model) body() int { return max(0, m.height-m.headLines) }

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.selectPos(m.sel - 1)
	case key.Matches(msg, k.Down):
		m.selectPos(m.sel + 1)
	case key.Matches(msg, k.Top):
		m.selectPos(0)
	case key.Matches(msg, k.Bottom):
		m.selectPos(len(m.view) - 1)
	case key.Matches(msg, k.PageUp):
		m.page(-m.body())
	case key.Matches(msg, k.PageDown):
		m.page(m.body())
	case key.Matches(msg, k.HalfUp):
		m.page(-max(1, m.body()/2))
	case key.Matches(msg, k.HalfDown):
		m.page(max(1, m.body()/2))
	case key.Matches(msg, k.Open):
		if name := m.Selected(); name != "" {
			return func() tea.Msg { return common.OpenModelMsg{Model: name} }
		}
	case key.Matches(msg, k.Drift):
		if name := m.Selected(); name != "" {
			return func() tea.Msg { return common.OpenDriftMsg{Model: name} }
		}
	case key.Matches(msg, k.Compare):
		if name := m.Selected(); name != "" {
			return func() tea.Msg { return common.OpenCompareMsg{Model: name} }
		}
	case key.Matches(msg, k.Sort):
		m.setSort(nextSort(m.sort, m.snap != nil && m.snap.Alerts != nil), false)
	case key.Matches(msg, k.Reverse):
		m.setSort(m.sort, !m.reverse)
	}
	return nil
}

func (m *Model) setSort(k colID, reverse bool) {
	m.sort, m.reverse = k, reverse
	m.resort()
	m.relayout()
}

// selectPos selects the model at a view position (clamped).
func (m *Model) selectPos(pos int) {
	if len(m.view) == 0 {
		return
	}
	m.sel = max(0, min(pos, len(m.view)-1))
	m.selName = m.Selected()
	m.pinned = true
	m.ensureVisible()
}

// Pin puts the cursor on the named model and keeps it there as the data
// re-sorts, as if the user had moved it: the root pins the model opened
// or acted on. A model not shown (filtered out) leaves the cursor as is.
func (m *Model) Pin(name string) {
	m.viewCache.drop()
	for pos, i := range m.view {
		if m.entries[i].m.Name == name {
			m.sel, m.selName, m.pinned = pos, name, true
			m.ensureVisible()
			return
		}
	}
}

// page moves the view and the selection by n lines.
func (m *Model) page(n int) {
	if len(m.rows) == 0 {
		return
	}
	target := max(0, min(m.first[m.sel]+n, len(m.rows)-1))
	m.offset = m.clampOffset(m.offset + n)
	m.selectPos(m.rows[target].e)
}

// lastRow is the last line of the model at view position pos.
func (m *Model) lastRow(pos int) int {
	if pos+1 < len(m.first) {
		return m.first[pos+1] - 1
	}
	return len(m.rows) - 1
}

func (m *Model) clampOffset(off int) int {
	return max(0, min(off, len(m.rows)-m.body()))
}

// ensureVisible scrolls so that the selected model's lines are in view
// (its first line, when the model has more lines than fit).
func (m *Model) ensureVisible() {
	if len(m.view) == 0 || m.body() == 0 {
		m.offset = 0
		return
	}
	first, last := m.first[m.sel], m.lastRow(m.sel)
	if last >= m.offset+m.body() {
		m.offset = last - m.body() + 1
	}
	if first < m.offset {
		m.offset = first
	}
	m.offset = m.clampOffset(m.offset)
}

// handleWheel scrolls the table; the selection moves only when it would
// leave the view, so it is always on screen.
func (m *Model) handleWheel(msg tea.MouseWheelMsg) {
	if len(m.rows) == 0 || m.body() == 0 {
		return
	}
	switch msg.Button {
	case tea.MouseWheelUp:
		m.offset = m.clampOffset(m.offset - wheelStep)
	case tea.MouseWheelDown:
		m.offset = m.clampOffset(m.offset + wheelStep)
	default:
		return
	}
	top, bottom := m.offset, m.offset+m.body()-1
	switch {
	case m.first[m.sel] < top:
		pos := m.rows[top].e
		if m.first[pos] < top && pos+1 < len(m.view) {
			pos++
		}
		m.sel = pos
	case m.first[m.sel] > bottom:
		m.sel = m.rows[min(bottom, len(m.rows)-1)].e
	}
	m.selName = m.Selected()
}

// handleClick selects the model under the pointer, or sorts by the
// column whose title was clicked. Y is relative to the screen's first line.
func (m *Model) handleClick(msg tea.MouseClickMsg) {
	if msg.Button != tea.MouseLeft || msg.X < 0 || msg.Y < 0 || msg.Y >= m.height {
		return
	}
	if msg.Y == m.headLines-1 {
		if id := columnAt(m.cols, msg.X); id >= 0 && fleetColumns[id].sort != nil {
			if id == m.sort {
				m.setSort(m.sort, !m.reverse)
			} else {
				m.setSort(id, false)
			}
		}
		return
	}
	r := m.offset + msg.Y - m.headLines
	if msg.Y < m.headLines || r >= len(m.rows) {
		return
	}
	m.sel = m.rows[r].e
	m.selName = m.Selected()
	m.pinned = true
	m.ensureVisible()
}
