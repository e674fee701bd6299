// Package detailscreen is the model detail screen: one model's health findings,
// per-version graphs over the chosen range, ground truth, rollout and
// lineage, so an on-call engineer sees what is wrong and why.
package detailscreen

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// Model is the detail screen of one model.
type Model struct {
	c     *common.Common
	model string
	keys  keyMap

	width, height int

	hist common.RangeHistory[history.Window]
	// est is the quality estimate over the same range, drawn over the
	// measured quality; it never has data without an estimate provider.
	est common.RangeHistory[fleet.EstimateHistory]
	// events are what happened to the model over the range, marked on
	// every graph's time axis and listed under the graphs.
	events common.RangeHistory[common.EventWindow]
	// insp is the Rollout as the Kubernetes API describes it, when the
	// rollout actions can read one.
	insp inspection
	// srv is which versions served over the last 30 days.
	srv served

	offset int // first body line shown

	plots plotCache
	page  drawnPage
}

var _ common.Screen = (*Model)(nil)

// New returns the detail screen for model. Call Init for the first history
// fetch; without it the first message handled asks for one.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), hist: common.NewRangeHistory[history.Window](c.Range),
		est: common.NewRangeHistory[fleet.EstimateHistory](c.Range), events: common.NewRangeHistory[common.EventWindow](c.Range)}
	m.rebuild()
	return m
}

// Init asks for the history of the current range, and for the Rollout.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.fetch(), m.inspect(true), m.fetchServed(true)) }

// Title is the breadcrumb: the model's name.
func (m *Model) Title() string { return termsafe.Clean(m.model) }

// Model is the model shown, which the root's action keys act on.
func (m *Model) Model() string { return m.model }

// Capturing is false: the screen takes no text input.
func (m *Model) Capturing() bool { return false }

// Keys are the screen's own bindings (scrolling); the root adds its own.
func (m *Model) Keys() help.KeyMap { return m.keys }

// SetSize sets the screen size; a new graph width makes the next update
// fetch history at the new resolution.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.rebuild()
	m.hist.Resized(m.page.fetchWidth)
	m.est.Resized(m.page.fetchWidth)
	m.events.Resized(m.page.fetchWidth)
}

// Update handles scrolling, range changes, history answers and snapshots.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Drift) {
			model := m.model
			return m, func() tea.Msg { return common.OpenDriftMsg{Model: model} }
		}
		if key.Matches(msg, m.keys.Alerts) {
			model := m.model
			return m, func() tea.Msg { return common.OpenAlertsMsg{Model: model} }
		}
		if key.Matches(msg, m.keys.Compare) {
			model := m.model
			return m, func() tea.Msg { return common.OpenCompareMsg{Model: model} }
		}
		m.offset = m.page.Scroll(m.offset, msg, m.keys.Keys)
		return m, m.hist.OwedFetch(m.fetch)
	case tea.MouseWheelMsg:
		m.offset = m.page.Scroll(m.offset, msg, m.keys.Keys)
		return m, m.hist.OwedFetch(m.fetch)
	case common.ThemeChangedMsg:
		m.plots = plotCache{}
	case common.SnapshotMsg:
		cmd = tea.Batch(m.inspect(false), m.fetchServed(false))
	case common.RangeMsg:
		// A look back began, moved or ended: the strip ends at the time shown.
		if !m.c.At.Equal(m.srv.at) {
			cmd = m.fetchServed(true)
		}
	case common.ServedMsg:
		m.takeServed(msg)
	case common.RolloutInspectionMsg:
		m.takeInspection(msg)
	case common.ActionDoneMsg:
		// A verb just changed the Rollout: show what it did now.
		cmd = m.inspect(true)
	}
	due := m.hist.Follow(msg, m.c, m.model)
	var fetch tea.Cmd
	if m.events.Follow(msg, m.c, m.model) {
		due = true
	}
	if m.est.Follow(msg, m.c, m.model) || due {
		fetch = m.fetch()
	}
	m.rebuild()
	return m, tea.Batch(cmd, fetch, m.hist.OwedFetch(m.fetch))
}

// fetch asks for the current range at the current graph width: the
// graphs, and the quality estimate when the provider offers it.
func (m *Model) fetch() tea.Cmd {
	m.hist.Fetched(m.page.fetchWidth, m.c.Now)
	m.est.Fetched(m.page.fetchWidth, m.c.Now)
	m.events.Fetched(m.page.fetchWidth, m.c.Now)
	return tea.Batch(common.FetchHistory(m.c.History, m.model, m.hist.Range, m.page.fetchWidth),
		common.FetchEstimateHistory(common.EstimatesOf(m.c.History), m.model, m.est.Range, m.page.fetchWidth),
		common.FetchEvents(m.c.Events, m.model, m.events.Range, m.c.GraphEnd()))
}

// serial changes whenever a history, the events or the inspection does (each only grows).
func (m *Model) serial() int {
	return m.hist.Serial + m.est.Serial + m.events.Serial + m.insp.serial + m.srv.serial
}

// rebuild renders the page for the current state and size, keeping the
// plots that are still valid, and clamps the scroll position.
func (m *Model) rebuild() {
	m.page = m.build(true)
	m.offset = m.page.Clamp(m.offset)
}

// View draws the page. When Common changed without a message reaching the
// screen, the page is drawn afresh (and not stored), so View stays a pure
// function of state and size.
func (m *Model) View() string {
	p := m.page
	if p.key != m.pageKey() {
		p = m.build(false)
	}
	return p.Render(m.c.Theme, m.offset)
}
