// Package alertscreen is the alerts screen (:alerts [MODEL], a on a
// model's detail): the alerts firing, pending and suppressed, firing
// first, of every model or of one, each line expandable into its labels,
// description and the silences that suppress it. It reads the snapshot
// only: the poller reads the alert source.
package alertscreen

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/page"
)

// Model is the alerts screen, for one model or every model.
type Model struct {
	c     *common.Common
	model string // "" = every model
	keys  keyMap

	width, height int

	rows     []row
	list     page.List       // the cursor and the scroll
	expanded map[string]bool // by row key
}

var _ common.Screen = (*Model)(nil)

// New returns the alerts screen; model "" lists every model's alerts and
// those attached to none.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), expanded: map[string]bool{}}
	m.rebuild()
	return m
}

// Title is the breadcrumb.
func (m *Model) Title() string {
	if m.model != "" {
		return "alerts " + termsafe.Clean(m.model)
	}
	return "alerts"
}

// Model is the model the screen is about; "" for every model.
func (m *Model) Model() string { return m.model }

// SelectedAlert is the alert under the cursor, for M to silence it: its
// model label (what a silence matches), version and name; ok is false
// when there is none or it names no model.
func (m *Model) SelectedAlert() (model, version, name string, ok bool) {
	if m.list.Sel < 0 || m.list.Sel >= len(m.rows) {
		return "", "", "", false
	}
	r := m.rows[m.list.Sel]
	model = r.alert.Model
	if model == "" {
		model = r.model
	}
	return model, r.alert.Version, r.alert.Name, model != ""
}

// Capturing is false: the screen takes no text.
func (m *Model) Capturing() bool { return false }

// Keys are the screen's bindings.
func (m *Model) Keys() help.KeyMap { return m.keys }

// SetSize is the body's size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.clamp()
}

// Update handles keys and new snapshots.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SnapshotMsg:
		m.rebuild()
	case tea.KeyPressMsg:
		return m, m.key(msg)
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
			m.expanded[r.key] = !m.expanded[r.key]
			m.clamp()
		}
	case key.Matches(k, m.keys.Open):
		if r, ok := m.selected(); ok && r.model != "" && m.model == "" {
			name := r.model
			return func() tea.Msg { return common.OpenModelMsg{Model: name} }
		}
	}
	return nil
}

func (m *Model) selected() (row, bool) {
	if m.list.Sel < 0 || m.list.Sel >= len(m.rows) {
		return row{}, false
	}
	return m.rows[m.list.Sel], true
}

// rebuild makes the rows from the latest snapshot, keeping the selected
// alert selected.
func (m *Model) rebuild() {
	keep := ""
	if r, ok := m.selected(); ok {
		keep = r.key
	}
	m.rows = buildRows(m.c.Snapshot, m.model)
	m.list.Sel = 0
	for i, r := range m.rows {
		if r.key == keep {
			m.list.Sel = i
		}
	}
	m.clamp()
}

// state is what the snapshot says about alerts for this screen.
func (m *Model) state() (sum *fleet.Alerts, src *fleet.SourceStatus) {
	s := m.c.Snapshot
	if s == nil || s.Alerts == nil {
		return nil, nil
	}
	for i := range s.Sources {
		if s.Sources[i].IsAlerts() {
			return s.Alerts, &s.Sources[i]
		}
	}
	return s.Alerts, nil
}

// clamp keeps the selected row, and its expansion, on screen.
func (m *Model) clamp() {
	m.list.Clamp(len(m.rows), m.listHeight(), m.rowLines)
}
