// Package comparescreen is the side-by-side comparison of two versions of one
// model: offline metrics from the registry, live quality, serving, drift,
// labels and lineage, each with the difference and which side is better,
// and the two versions' graphs overlaid over the chosen range.
package comparescreen

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/common"
)

// Model is the compare screen. It implements common.Screen.
type Model struct {
	c     *common.Common
	model string
	keys  keyMap

	width, height int

	chosen pair     // a, b set once given or chosen; empty: the default pair
	cursor string   // version under the cursor in the version list
	marks  []string // versions marked with space, at most one waiting for a second

	hist common.RangeHistory[history.Window]
	// events are the model's, marked on the graphs' time axes.
	events common.RangeHistory[common.EventWindow]

	offset int
	page   drawnPage
}

var _ common.Screen = (*Model)(nil)

// New returns the compare screen of versions a and b of model; with a or
// b empty it compares the default pair (see defaultPair).
func New(c *common.Common, model, a, b string) *Model {
	m := &Model{c: c, model: model, keys: newKeyMap(), hist: common.NewRangeHistory[history.Window](c.Range),
		events: common.NewRangeHistory[common.EventWindow](c.Range)}
	if a != "" && b != "" {
		m.chosen = pair{a: a, b: b, why: "chosen"}
	}
	m.rebuild()
	if p, ok := m.current(); ok {
		m.cursor = p.a
	}
	m.rebuild()
	return m
}

// Init asks for the history of the current range.
func (m *Model) Init() tea.Cmd { return m.fetch() }

// Title is the breadcrumb: compare v11 ↔ v12.
func (m *Model) Title() string {
	p, ok := m.current()
	if !ok {
		return "compare"
	}
	return "compare " + versionLabel(p.a) + " " + m.arrow() + " " + versionLabel(p.b)
}

// Model is the model shown, which the root's action keys act on.
func (m *Model) Model() string { return m.model }

func (m *Model) arrow() string {
	if m.c.ASCII() {
		return "<->"
	}
	return "↔"
}

// Capturing is false: the screen takes no text input.
func (m *Model) Capturing() bool { return false }

// Keys are the screen's own bindings.
func (m *Model) Keys() help.KeyMap { return m.keys }

// SetSize sets the screen size; a new graph width makes the next update
// fetch history at the new resolution.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.rebuild()
	m.hist.Resized(m.page.fetchWidth)
	m.events.Resized(m.page.fetchWidth)
}

// Update handles choosing versions, scrolling, range changes, history
// answers and snapshots.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !m.chooseKey(msg) {
			m.offset = m.page.Scroll(m.offset, msg, m.keys.Keys)
		}
	case tea.MouseWheelMsg:
		m.offset = m.page.Scroll(m.offset, msg, m.keys.Keys)
	}
	due := m.hist.Follow(msg, m.c, m.model)
	if m.events.Follow(msg, m.c, m.model) || due {
		cmd = m.fetch()
	}
	m.rebuild()
	return m, tea.Batch(cmd, m.hist.OwedFetch(m.fetch))
}

// fetch asks for the current range at the current graph width.
func (m *Model) fetch() tea.Cmd {
	m.hist.Fetched(m.page.fetchWidth, m.c.Now)
	m.events.Fetched(m.page.fetchWidth, m.c.Now)
	return tea.Batch(common.FetchHistory(m.c.History, m.model, m.hist.Range, m.page.fetchWidth),
		common.FetchEvents(m.c.Events, m.model, m.events.Range, m.c.GraphEnd()))
}

// current is the pair compared: the chosen one, else the default.
func (m *Model) current() (pair, bool) {
	if m.chosen.a != "" {
		return m.chosen, true
	}
	if mod := m.c.FindModel(m.model); mod != nil {
		return defaultPair(mod)
	}
	return pair{}, false
}

// chooseKey handles the keys that choose versions; false when k is not one.
func (m *Model) chooseKey(k tea.KeyPressMsg) bool {
	mod := m.c.FindModel(m.model)
	if mod == nil || len(mod.Versions) == 0 {
		return false
	}
	cur, _ := m.current()
	idx := m.cursorIndex(mod)
	switch {
	case key.Matches(k, m.keys.Left):
		m.cursor = mod.Versions[max(idx-1, 0)].Version
	case key.Matches(k, m.keys.Right):
		m.cursor = mod.Versions[min(idx+1, len(mod.Versions)-1)].Version
	case key.Matches(k, m.keys.Mark):
		m.mark(mod.Versions[idx].Version)
	case key.Matches(k, m.keys.Swap):
		if cur.a != "" {
			m.chosen = pair{a: cur.b, b: cur.a, why: "chosen"}
		}
	case key.Matches(k, m.keys.PrevA), key.Matches(k, m.keys.NextA):
		if cur.a != "" {
			m.chosen = pair{a: cycle(mod, cur.a, cur.b, step(k, m.keys.NextA)), b: cur.b, why: "chosen"}
		}
	case key.Matches(k, m.keys.PrevB), key.Matches(k, m.keys.NextB):
		if cur.a != "" {
			m.chosen = pair{a: cur.a, b: cycle(mod, cur.b, cur.a, step(k, m.keys.NextB)), why: "chosen"}
		}
	default:
		return false
	}
	return true
}

func step(k tea.KeyPressMsg, next key.Binding) int {
	if key.Matches(k, next) {
		return 1
	}
	return -1
}

// mark toggles v; the second mark makes the two marked versions the pair,
// in the order they were marked.
func (m *Model) mark(v string) {
	if i := slices.Index(m.marks, v); i >= 0 {
		m.marks = slices.Delete(m.marks, i, i+1)
		return
	}
	m.marks = append(m.marks, v)
	if len(m.marks) == 2 {
		m.chosen = pair{a: m.marks[0], b: m.marks[1], why: "marked"}
		m.marks = nil
	}
}

// cursorIndex is where the cursor is in the model's versions (0 when its
// version is gone).
func (m *Model) cursorIndex(mod *fleet.Model) int {
	for i := range mod.Versions {
		if mod.Versions[i].Version == m.cursor {
			return i
		}
	}
	return 0
}

// rebuild draws the page for the current state and size and clamps the
// scroll position.
func (m *Model) rebuild() {
	m.page = m.build()
	m.offset = m.page.Clamp(m.offset)
}

// View draws the page. When Common changed without a message reaching the
// screen, the page is drawn afresh (and not kept), so View stays a pure
// function of state and size.
func (m *Model) View() string {
	p := m.page
	if p.key != m.pageKey() {
		p = m.build()
	}
	return p.Render(m.c.Theme, m.offset)
}
