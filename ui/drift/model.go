// Package drift is the drift screen: for one model, per version, every
// input feature's drift score against its threshold, the method and
// p-value behind it, the verdict, the score over the chosen range, the
// model's output drift, and a feature × time heatmap that shows when drift
// started.
package drift

import (
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/ui/common"
)

// Model is the drift screen of one model.
type Model struct {
	c     *common.Common
	model string
	keys  keyMap

	width, height int
	rng           time.Duration

	hist     fleet.DriftHistory
	haveHist bool
	serial   int    // bumped whenever the history or its error changes
	histErr  string // the last fetch's error, in plain words

	lastFetch  time.Time // clock of the last fetch, to pace fetches on snapshots
	askedWidth int       // heatmap width of the last fetch
	pending    bool      // a fetch is owed: opened without Init, or the width changed

	offset int
	page   page
}

var _ common.Screen = (*Model)(nil)

// New returns the drift screen for model. Call Init for the first fetch;
// without it the first message handled asks for one.
func New(c *common.Common, model string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), rng: c.Range, pending: true}
	m.rebuild()
	return m
}

// Init asks for the drift history of the current range.
func (m *Model) Init() tea.Cmd {
	m.pending = false
	return m.fetch()
}

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
	if m.askedWidth != 0 && m.fetchWidth() != m.askedWidth {
		m.pending = true
	}
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
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
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
			// The held history is for another range: drawing it under the
			// new range's name would mislead, so wait for the new one.
			m.rng = msg.Range
			m.hist, m.haveHist, m.histErr = fleet.DriftHistory{}, false, ""
			m.serial++
		}
		m.pending = false
		cmd = m.fetch()
	case common.DriftHistoryMsg:
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
	}
	m.rebuild()
	if m.pending {
		m.pending = false
		cmd = tea.Batch(cmd, m.fetch())
	}
	return m, cmd
}

// accept takes a drift history for this model and range; answers for
// another model or a range no longer chosen are dropped.
func (m *Model) accept(msg common.DriftHistoryMsg) bool {
	if msg.Model != m.model {
		return false
	}
	if msg.Err != nil {
		// A failed fetch may carry no history (Range 0); one for another
		// range is late and says nothing about the current one.
		if msg.History.Range != 0 && msg.History.Range != m.rng {
			return false
		}
		m.histErr = human.Clean(msg.Err.Error())
		m.serial++
		return true
	}
	if msg.History.Range != m.rng {
		return false
	}
	m.hist, m.haveHist, m.histErr = msg.History, true, ""
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

// fetch asks for the current range at the current heatmap width.
func (m *Model) fetch() tea.Cmd {
	m.askedWidth = m.fetchWidth()
	m.lastFetch = m.c.Now
	if !hasProvider(m.c.DriftHistory) {
		return nil
	}
	return common.FetchDriftHistory(m.c.DriftHistory, m.model, m.rng, m.askedWidth)
}

// hasProvider is false for a nil provider, including a nil pointer stored
// in the interface, which would otherwise be called and crash.
func hasProvider(p common.DriftHistoryProvider) bool {
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

// rebuild draws the page for the current state and size and clamps the
// scroll position.
func (m *Model) rebuild() {
	m.page = m.build()
	m.offset = min(max(m.offset, 0), m.page.maxOffset())
}

// View draws the page. When Common changed without a message reaching the
// screen, the page is drawn afresh (and not stored), so View stays a pure
// function of state and size.
func (m *Model) View() string {
	p := m.page
	if p.key != m.pageKey() {
		p = m.build()
	}
	return p.render(m.c.Theme, min(max(m.offset, 0), p.maxOffset()))
}
