// Package auditscreen is the audit screen (:audit [MODEL]): the action log,
// newest first, one line per action with its latest state, each line
// expandable into every state change it went through. The log is read
// through common.Actions in a tea.Cmd when the screen opens, on r, and
// whenever an action ends.
package auditscreen

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/page"
)

// Model is the audit screen, for one model or all of them.
type Model struct {
	c     *common.Common
	model string // "" = every model
	keys  keyMap

	width, height int

	records []audit.Record // every record read, oldest first
	torn    int
	err     string
	loaded  bool
	loading bool
	serial  int // of the last read asked for; older answers are dropped

	filter    textinput.Model
	filtering bool
	query     string // the filter in effect

	rows     []row           // one per action, newest first, filtered
	list     page.List       // the cursor and the scroll
	expanded map[string]bool // by request id
}

var _ common.Screen = (*Model)(nil)

// New returns the audit screen; model "" lists every model. Run Init: it
// reads the log.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), expanded: map[string]bool{}}
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "filter: any field"
	in.CharLimit = 200
	in.KeyMap.Paste.SetEnabled(false) // the clipboard of the machine mltop runs on; the terminal's paste works
	in.SetStyles(inputStyles(c))
	m.filter = in
	return m
}

// RecordsMsg carries the log as read for screen; other screens ignore it.
type RecordsMsg struct {
	screen  *Model
	serial  int
	Records []audit.Record
	Torn    int
	Err     error
}

// Init reads the log.
func (m *Model) Init() tea.Cmd { return m.refresh() }

// refresh asks for the log, off the UI goroutine.
func (m *Model) refresh() tea.Cmd {
	a := m.c.Actions
	if a == nil {
		m.loaded, m.err = true, "no action executor in this session: nothing is recorded"
		return nil
	}
	m.serial++
	m.loading = true
	serial, model, screen := m.serial, m.model, m
	return func() tea.Msg {
		rs, torn, err := a.AuditRecords(audit.Filter{Model: model})
		return RecordsMsg{screen: screen, serial: serial, Records: rs, Torn: torn, Err: err}
	}
}

// Title is the breadcrumb.
func (m *Model) Title() string {
	if m.model != "" {
		return "audit " + termsafe.Clean(m.model)
	}
	return "audit"
}

// Capturing is true while the filter is typed.
func (m *Model) Capturing() bool { return m.filtering }

// OwnsKey claims / for the screen's own filter, before the root's fleet filter.
func (m *Model) OwnsKey(k tea.KeyPressMsg) bool { return key.Matches(k, m.keys.Filter) }

// Keys are the screen's bindings.
func (m *Model) Keys() help.KeyMap {
	if m.filtering {
		return filterKeys{}
	}
	return m.keys
}

// SetSize is the body's size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.SetWidth(max(w/2, 10))
	m.clamp()
}

// Update handles keys, the log as read, and actions ending.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case RecordsMsg:
		if msg.screen != m || msg.serial != m.serial {
			return m, nil
		}
		m.loading, m.loaded = false, true
		m.err = ""
		if msg.Err != nil {
			m.err = msg.Err.Error()
		}
		if msg.Err == nil || len(msg.Records) > 0 {
			m.records, m.torn = msg.Records, msg.Torn
		}
		m.rebuild()
	case common.ActionDoneMsg:
		return m, m.refresh()
	case common.ThemeChangedMsg:
		m.filter.SetStyles(inputStyles(m.c))
	case tea.KeyPressMsg:
		if m.filtering {
			return m, m.filterKey(msg)
		}
		return m, m.key(msg)
	case tea.PasteMsg:
		if m.filtering {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			m.setQuery(m.filter.Value())
			return m, cmd
		}
	}
	return m, nil
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.list.Key(k, m.keys.Keys, len(m.rows), m.listHeight(), m.rowLines) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Expand):
		if r, ok := m.selected(); ok {
			m.expanded[r.latest.ID] = !m.expanded[r.latest.ID]
			m.clamp()
		}
	case key.Matches(k, m.keys.Refresh):
		return m.refresh()
	case key.Matches(k, m.keys.Filter):
		m.filtering = true
		m.filter.SetValue(m.query)
		m.filter.CursorEnd()
		return m.filter.Focus()
	}
	return nil
}

// filterKey edits the filter, applied as it is typed: enter keeps it, esc
// clears it.
func (m *Model) filterKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		m.filtering = false
		m.filter.Blur()
		return nil
	case "esc":
		m.filtering = false
		m.filter.Blur()
		m.setQuery("")
		return nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(k)
	m.setQuery(m.filter.Value())
	return cmd
}

func (m *Model) setQuery(q string) {
	q = strings.TrimSpace(q)
	if q == m.query {
		return
	}
	m.query = q
	m.rebuild()
}

func (m *Model) selected() (row, bool) {
	if m.list.Sel < 0 || m.list.Sel >= len(m.rows) {
		return row{}, false
	}
	return m.rows[m.list.Sel], true
}

// rebuild makes the rows from the records and the filter, keeping the
// selected action selected.
func (m *Model) rebuild() {
	keep := ""
	if r, ok := m.selected(); ok {
		keep = r.latest.ID
	}
	m.rows = buildRows(m.records, m.query, m.c.Now.Location())
	m.list.Sel = 0
	for i, r := range m.rows {
		if r.latest.ID == keep {
			m.list.Sel = i
		}
	}
	m.clamp()
}

// clamp keeps the selected row, and its expansion, on screen.
func (m *Model) clamp() {
	m.list.Clamp(len(m.rows), m.listHeight(), m.rowLines)
}
