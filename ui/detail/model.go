// Package detail is the model detail screen: one model's health findings,
// per-version graphs over the chosen range, ground truth, rollout and
// lineage, so an on-call engineer sees what is wrong and why.
package detail

import (
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/ui/common"
)

// Model is the detail screen of one model.
type Model struct {
	c     *common.Common
	model string
	keys  keyMap

	width, height int
	rng           time.Duration

	win     history.Window
	haveWin bool
	serial  int    // bumped whenever the window or its error changes, for caches
	histErr string // the last fetch's error, in plain words; "" when it worked

	lastFetch  time.Time // clock of the last fetch, to pace fetches on snapshots
	askedWidth int       // graph width of the last fetch
	pending    bool      // a fetch is owed: opened without Init, or the graph width changed

	offset int // first body line shown

	plots plotCache
	page  page
}

var _ common.Screen = (*Model)(nil)

// New returns the detail screen for model. Call Init for the first history
// fetch; without it the first message handled asks for one.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), rng: c.Range, pending: true}
	m.rebuild()
	return m
}

// Init asks for the history of the current range.
func (m *Model) Init() tea.Cmd {
	m.pending = false
	return m.fetch()
}

// Title is the breadcrumb: the model's name.
func (m *Model) Title() string { return human.Clean(m.model) }

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
	if m.askedWidth != 0 && m.page.fetchWidth != m.askedWidth {
		m.pending = true
	}
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
		if key.Matches(msg, m.keys.Compare) {
			model := m.model
			return m, func() tea.Msg { return common.OpenCompareMsg{Model: model} }
		}
		m.scrollKey(msg)
		return m, m.owed()
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.scrollBy(-3)
		case tea.MouseWheelDown:
			m.scrollBy(3)
		}
		return m, m.owed()
	case common.RangeMsg:
		if msg.Range > 0 && msg.Range != m.rng {
			// The held window is for another range: drawing it under the
			// new range's name would mislead, so wait for the new one.
			m.rng = msg.Range
			m.win, m.haveWin, m.histErr = history.Window{}, false, ""
			m.serial++
		}
		m.pending = false
		cmd = m.fetch()
	case common.HistoryMsg:
		if !m.accept(msg) {
			return m, m.owed()
		}
	case common.SnapshotMsg:
		stamp := msg.Snapshot.TakenAt
		if m.c.Now.After(stamp) {
			stamp = m.c.Now
		}
		if m.lastFetch.IsZero() || stamp.Sub(m.lastFetch) >= m.c.Refresh {
			m.pending = false
			cmd = m.fetch()
		}
	case common.ThemeChangedMsg:
		m.plots = plotCache{}
	}
	m.rebuild()
	if m.pending {
		m.pending = false
		cmd = tea.Batch(cmd, m.fetch())
	}
	return m, cmd
}

// accept takes a history answer for this model and range; answers for
// another screen or a range no longer chosen are dropped.
func (m *Model) accept(msg common.HistoryMsg) bool {
	if msg.Model != m.model {
		return false
	}
	if msg.Err != nil {
		// A failed fetch may carry no window (Range 0); one for another
		// range is late and says nothing about the current one.
		if msg.Window.Range != 0 && msg.Window.Range != m.rng {
			return false
		}
		m.histErr = human.Clean(msg.Err.Error())
		if msg.Window.Range == m.rng && len(msg.Window.Series) > 0 {
			m.win, m.haveWin = msg.Window, true
		}
		m.serial++
		return true
	}
	if msg.Window.Range != m.rng {
		return false
	}
	m.win, m.haveWin, m.histErr = msg.Window, true, ""
	m.serial++
	return true
}

// owed returns the fetch a resize left owing, if any.
func (m *Model) owed() tea.Cmd {
	if !m.pending {
		return nil
	}
	m.pending = false
	return m.fetch()
}

// fetch asks for the current range at the current graph width.
func (m *Model) fetch() tea.Cmd {
	m.askedWidth = m.page.fetchWidth
	m.lastFetch = m.c.Now
	if !hasProvider(m.c.History) {
		return nil
	}
	return common.FetchHistory(m.c.History, m.model, m.rng, m.askedWidth)
}

// hasProvider is false for a nil provider, including a nil pointer stored
// in the interface, which would otherwise be called and crash.
func hasProvider(p common.HistoryProvider) bool {
	if p == nil {
		return false
	}
	v := reflect.ValueOf(p)
	return v.Kind() != reflect.Pointer || !v.IsNil()
}

func (m *Model) scrollKey(msg tea.KeyPressMsg) {
	page := max(m.page.bodyHeight-1, 1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.scrollBy(-1)
	case key.Matches(msg, m.keys.Down):
		m.scrollBy(1)
	case key.Matches(msg, m.keys.PageUp):
		m.scrollBy(-page)
	case key.Matches(msg, m.keys.PageDown):
		m.scrollBy(page)
	case key.Matches(msg, m.keys.Top):
		m.offset = 0
	case key.Matches(msg, m.keys.Bottom):
		m.offset = m.page.maxOffset()
	}
}

func (m *Model) scrollBy(n int) {
	m.offset = min(max(m.offset+n, 0), m.page.maxOffset())
}

// rebuild renders the page for the current state and size, keeping the
// plots that are still valid, and clamps the scroll position.
func (m *Model) rebuild() {
	m.page = m.build(true)
	m.offset = min(max(m.offset, 0), m.page.maxOffset())
}

// View draws the page. When Common changed without a message reaching the
// screen, the page is drawn afresh (and not stored), so View stays a pure
// function of state and size.
func (m *Model) View() string {
	p := m.page
	if p.key != m.pageKey() {
		p = m.build(false)
	}
	return p.render(m.c.Theme, min(max(m.offset, 0), p.maxOffset()))
}
