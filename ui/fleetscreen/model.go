// Package fleetscreen is the home screen: one line per serving model version,
// worst first, with health, traffic, latency, errors, quality against the
// offline baseline, drift, labels and rollout at a glance.
//
// The table is virtualised: rows are built, sorted and filtered when data,
// sort or filter change, and View draws only the lines that fit, so a frame
// costs the same for ten models or ten thousand.
package fleetscreen

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// Trends cover this range, refreshed at most this often.
const (
	trendRange    = 15 * time.Minute
	trendInterval = 30 * time.Second
)

// Model is the fleet screen. It implements common.Screen.
type Model struct {
	c    *common.Common
	keys KeyMap

	width, height int

	snap    *fleet.Snapshot // the snapshot entries point into; nil before the first poll
	entries []entry
	order   []int // entries in sort order
	view    []int // order, filtered
	rows    []row
	first   []int // first row of each view position
	need    []int // each column's largest measure over the fleet, by column

	sort    colID
	reverse bool
	flt     filter

	sel     int    // position in view
	selName string // raw name, to follow the model across re-sorts
	// pinned is set once the user moves the selection; until then it stays
	// on the top row, the worst model, as the data re-sorts.
	pinned bool
	offset int // first row drawn

	stale []staleness // by column
	// ctxStale is the staleness by column of each context's rows in a
	// merged fleet (:ctx all); nil otherwise.
	ctxStale  map[string][]staleness
	cols      []column
	headLines int
	info      string // "N of M models · filter …" when filtering
	infoLine  bool   // info on its own line (no room in the header)

	hist      history.Window
	hasHist   bool
	histStale bool
	lastFetch time.Time

	paints    *paints
	viewCache viewCache
	layouts   int // relayouts done, for viewCache
}

var _ common.Screen = (*Model)(nil)

// New makes the fleet screen over the shared state; it draws c.Snapshot
// if one is already there.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: DefaultKeys(), headLines: 1, sort: firstSort,
		need: make([]int, numCols), stale: make([]staleness, numCols)}
	m.paints = newPaints(c.Theme)
	if c.Snapshot != nil {
		s := *c.Snapshot
		m.setSnapshot(&s)
	}
	return m
}

// Init asks for the trend history; the root runs it when the screen starts.
func (m *Model) Init() tea.Cmd { return m.fetchHistory(true) }

// Title is the breadcrumb.
func (m *Model) Title() string { return "fleet" }

// Capturing is false: the root owns the / input and sends FilterMsg.
func (m *Model) Capturing() bool { return false }

// Keys are the screen's bindings.
func (m *Model) Keys() help.KeyMap { return m.keys }

// Selected returns the selected model's name, "" when none.
func (m *Model) Selected() string {
	if m.sel < 0 || m.sel >= len(m.view) {
		return ""
	}
	return m.entries[m.view[m.sel]].m.Name
}

// SetFilter sets the filter query ("" clears it). A bad /regex/ returns an
// error and leaves the current filter in place.
func (m *Model) SetFilter(q string) error {
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	m.flt = f
	m.refilter()
	m.relayout()
	m.viewCache.drop()
	return nil
}

// SetSize sets the area the screen draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(0, width), max(0, height)
	m.relayout()
	m.viewCache.drop()
}

// Update handles data, keys and the mouse. Mouse coordinates are expected
// relative to the screen's top-left: Y = 0 is the screen's first line.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if !m.idleTick(msg) {
		m.viewCache.drop()
	}
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case common.SnapshotMsg:
		s := msg.Snapshot
		m.setSnapshot(&s)
		cmd = m.fetchHistory(false)
	case common.HistoryMsg:
		m.setHistory(msg)
	case common.RangeMsg:
		// Sent again with the same range when the dashboard looks back
		// or returns to live: the trends then end at another time.
		cmd = m.fetchHistory(true)
	case common.TickMsg:
		if m.anyStale() {
			m.relayout()
		}
	case common.ThemeChangedMsg:
		m.paints = newPaints(m.c.Theme)
	case common.FilterMsg:
		if err := m.SetFilter(msg.Query); err != nil {
			text := err.Error()
			cmd = func() tea.Msg { return common.StatusMsg{Text: text, Error: true} }
		}
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.MouseWheelMsg:
		m.handleWheel(msg)
	case tea.MouseClickMsg:
		m.handleClick(msg)
	}
	// A snapshot published while another screen was on top still reaches
	// this one through Common.
	if s := m.c.Snapshot; s != nil && (m.snap == nil || s.TakenAt.After(m.snap.TakenAt)) {
		cp := *s
		m.setSnapshot(&cp)
	}
	return m, cmd
}

func (m *Model) now() time.Time {
	if !m.c.Now.IsZero() {
		return m.c.Now
	}
	if m.snap != nil {
		return m.snap.TakenAt
	}
	return time.Time{}
}

// fetchHistory asks for the trend window, at most every trendInterval.
func (m *Model) fetchHistory(force bool) tea.Cmd {
	if m.c.History == nil {
		return nil
	}
	now := m.now()
	if !force && !m.lastFetch.IsZero() && now.Sub(m.lastFetch) < trendInterval {
		return nil
	}
	m.lastFetch = now
	return common.FetchHistory(m.c.History, "", trendRange, sparkWidth)
}

// setHistory keeps the fleet's trend window. A failed fetch keeps the
// points held so far and marks the trends stale.
func (m *Model) setHistory(msg common.HistoryMsg) {
	if msg.Model != "" {
		return
	}
	if msg.Err == nil || len(msg.Window.Series) > 0 {
		m.hist, m.hasHist = msg.Window, true
	}
	m.histStale = msg.Err != nil || msg.Window.Errors[fleet.RoleRequestRate] != ""
	for id := range fleetColumns {
		if fleetColumns[id].history {
			m.stale[id] = staleness{}
			if m.histStale && m.hasHist {
				m.stale[id] = staleness{Stale: true, Since: m.hist.End}
			}
		}
	}
	m.relayout()
}

func (m *Model) anyStale() bool {
	for _, s := range m.stale {
		if s.Stale {
			return true
		}
	}
	return false
}

// setSnapshot rebuilds entries, order, rows and layout from s.
func (m *Model) setSnapshot(s *fleet.Snapshot) {
	m.snap = s
	m.entries = buildEntries(s)
	clear(m.need)
	for id := range fleetColumns {
		if measure := fleetColumns[id].measure; measure != nil {
			for i := range m.entries {
				m.need[id] = max(m.need[id], measure(&m.entries[i]))
			}
		}
	}
	stale := staleColumns(s)
	m.ctxStale = contextStale(s)
	for id := range fleetColumns {
		if !fleetColumns[id].history { // the trend window ages on its own
			m.stale[id] = stale[id]
		}
	}
	m.resort()
	m.relayout()
}

// maxVersionWidth caps the version label; longer ones are cut with ….
const maxVersionWidth = 8

func (m *Model) resort() {
	m.order = sortEntries(m.entries, m.sort, m.reverse)
	m.refilter()
}

// refilter applies the filter to the sorted order and flattens the
// models into lines, keeping the selection on the same model.
func (m *Model) refilter() {
	m.view = m.view[:0]
	for _, i := range m.order {
		if !m.flt.active() || m.flt.match(&m.entries[i]) {
			m.view = append(m.view, i)
		}
	}
	m.rows, m.first = m.rows[:0], m.first[:0]
	for pos, i := range m.view {
		m.first = append(m.first, len(m.rows))
		e := &m.entries[i]
		if len(e.versions) == 0 {
			m.rows = append(m.rows, row{e: pos, v: -1})
			continue
		}
		for k := range e.versions {
			m.rows = append(m.rows, row{e: pos, v: k})
		}
	}
	if m.pinned {
		m.sel = m.find(m.selName, m.sel)
	} else {
		m.sel = 0
	}
	m.selName = m.Selected()
	m.info = ""
	if m.flt.active() {
		m.info = termsafe.Clean(filterInfo(len(m.view), len(m.entries), m.flt.query))
	}
}

// find returns the view position of the named model, or fallback clamped.
func (m *Model) find(name string, fallback int) int {
	if name != "" {
		for pos, i := range m.view {
			if m.entries[i].m.Name == name {
				return pos
			}
		}
	}
	return max(0, min(fallback, len(m.view)-1))
}

// merged reports whether the fleet is every context's (:ctx all): its
// models carry their context.
func (m *Model) merged() bool {
	return m.snap != nil && len(m.snap.Models) > 0 && m.snap.Models[0].Context != ""
}

// relayout places columns for the current width and keeps the selection
// in view.
func (m *Model) relayout() {
	m.layouts++
	in := layoutInput{
		sort: m.sort, reverse: m.reverse, stale: m.stale, now: m.now(),
		need: m.need, history: m.hasHist, alerts: m.snap != nil && m.snap.Alerts != nil, contexts: m.merged(), bell: m.c.Glyphs.Bell,
		staleMark: m.c.Glyphs.Stale, up: m.c.Glyphs.Up, down: m.c.Glyphs.Down,
	}
	m.cols = computeLayout(m.width, &in)
	m.infoLine = false
	if m.info != "" {
		// The filter summary shares the header line when the same columns
		// still fit beside it; otherwise it takes a line of its own.
		room := m.width - textWidth(m.info) - 2
		narrow := computeLayout(room, &in)
		if sameColumns(narrow, m.cols) && end(narrow) <= room {
			m.cols = narrow
		} else {
			m.infoLine = true
		}
	}
	m.headLines = 1
	if m.infoLine {
		m.headLines = 2
	}
	m.ensureVisible()
}

// end is where the last column ends.
func end(cols []column) int {
	if len(cols) == 0 {
		return gutterWidth
	}
	return cols[len(cols)-1].x + cols[len(cols)-1].w
}

// sameColumns reports whether b shows what a shows, names as wide.
func sameColumns(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].id != b[i].id || (a[i].id == nameCol && a[i].w != b[i].w) {
			return false
		}
	}
	return true
}
