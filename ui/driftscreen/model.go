// Package driftscreen is the drift screen: for one model, per version, every
// input feature's drift score against its threshold, the method and
// p-value behind it, the verdict, the score over the chosen range, the
// model's output drift, and a feature × time heatmap that shows when drift
// started.
package driftscreen

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
	"github.com/mltop/mltop/ui/page"
)

// Model is the drift screen of one model.
type Model struct {
	c     *common.Common
	model string
	keys  page.Keys

	width, height int

	hist common.RangeHistory[fleet.DriftHistory]
	// events are the model's, marked over the heatmap's time axis.
	events common.RangeHistory[common.EventWindow]

	offset int
	page   drawnPage
}

var _ common.Screen = (*Model)(nil)

// New returns the drift screen for model. Call Init for the first fetch;
// without it the first message handled asks for one.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: page.NewKeys(), hist: common.NewRangeHistory[fleet.DriftHistory](c.Range),
		events: common.NewRangeHistory[common.EventWindow](c.Range)}
	m.rebuild()
	return m
}

// Init asks for the drift history of the current range.
func (m *Model) Init() tea.Cmd { return m.fetch() }

// Title is the breadcrumb.
func (m *Model) Title() string { return "drift" }

// Model is the model shown, which the root's action keys act on.
func (m *Model) Model() string { return m.model }

// Capturing is false: the screen takes no text input.
func (m *Model) Capturing() bool { return false }

// Keys are the screen's own bindings (scrolling); the root adds its own.
func (m *Model) Keys() help.KeyMap { return m.keys }

// SetSize sets the screen size; a new heatmap width makes the next update
// fetch at the new resolution.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.rebuild()
	m.hist.Resized(m.fetchWidth())
	m.events.Resized(m.fetchWidth())
}

// fetchWidth is the number of steps to ask for: one per heatmap column.
// Before the first size, plan for a common terminal width.
func (m *Model) fetchWidth() int {
	if m.width == 0 {
		return heatWidth(80)
	}
	return heatWidth(m.width)
}

// Update handles scrolling, range changes, drift history and snapshots.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.MouseWheelMsg:
		m.offset = m.page.Scroll(m.offset, msg, m.keys)
		return m, m.hist.OwedFetch(m.fetch)
	}
	var cmd tea.Cmd
	due := m.hist.Follow(msg, m.c, m.model)
	if m.events.Follow(msg, m.c, m.model) || due {
		cmd = m.fetch()
	}
	m.rebuild()
	return m, tea.Batch(cmd, m.hist.OwedFetch(m.fetch))
}

// fetch asks for the current range at the current heatmap width.
func (m *Model) fetch() tea.Cmd {
	m.hist.Fetched(m.fetchWidth(), m.c.Now)
	m.events.Fetched(m.fetchWidth(), m.c.Now)
	return tea.Batch(common.FetchDriftHistory(m.c.DriftHistory, m.model, m.hist.Range, m.fetchWidth()),
		common.FetchEvents(m.c.Events, m.model, m.events.Range, m.c.GraphEnd()))
}

// rebuild draws the page for the current state and size and clamps the
// scroll position.
func (m *Model) rebuild() {
	m.page = m.build()
	m.offset = m.page.Clamp(m.offset)
}

// View draws the page. When Common changed without a message reaching the
// screen, the page is drawn afresh (and not stored), so View stays a pure
// function of state and size.
func (m *Model) View() string {
	p := m.page
	if p.key != m.pageKey() {
		p = m.build()
	}
	return p.Render(m.c.Theme, m.offset)
}

// marks are the model's events for the heatmap; nil without an events
// provider, so the heatmap keeps no empty row.
func (m *Model) marks() []graph.Mark {
	if m.c.Events == nil {
		return nil
	}
	out := []graph.Mark{}
	for _, e := range m.events.Data.Events {
		out = append(out, graph.Mark{Time: e.Time, Kind: e.Kind})
	}
	return out
}
