package common

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/termsafe"
)

// FetchHistory is the command a screen returns to ask for a history window.
// Without a provider (nil) it is nil: there are no graphs, and the screen
// says so instead of waiting.
func FetchHistory(p HistoryProvider, model string, rng time.Duration, width int) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		w, err := p.History(rng, width)
		return HistoryMsg{Model: model, Window: w, Err: err}
	}
}

// FetchDriftHistory is the command a drift screen returns to ask for drift
// over its range; nil without a provider, like FetchHistory.
func FetchDriftHistory(p DriftHistoryProvider, model string, rng time.Duration, width int) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		h, err := p.DriftHistory(model, rng, width)
		return DriftHistoryMsg{Model: model, History: h, Err: err}
	}
}

// RangeHistory is the history a screen shows for one model over the chosen
// range: the latest answer, the last fetch's error in plain words, and a
// serial bumped on every change, which keys the screen's caches. It also
// paces fetches: one when the screen opens, at most one per refresh
// interval as snapshots arrive, and one more when the width to ask for
// changes, so graphs keep a point per column.
type RangeHistory[T any] struct {
	Range  time.Duration
	Data   T
	Have   bool
	Err    string
	Serial int

	lastFetch time.Time // clock of the last fetch
	width     int       // width the last fetch asked for; 0 before the first
	owed      bool      // a fetch is owed: opened without Init, or the width changed
}

// NewRangeHistory is the history over rng. It owes the first fetch, so a
// screen opened without Init asks on its first update.
func NewRangeHistory[T any](rng time.Duration) RangeHistory[T] {
	return RangeHistory[T]{Range: rng, owed: true}
}

// Answer is a fetch's answer, as RangeHistory takes it.
type Answer[T any] interface {
	// answer is who asked, the range the data covers (0 when a failed fetch
	// carries none), the data, the error, and whether the data of a failed
	// fetch is still worth drawing.
	answer() (model string, covers time.Duration, data T, err error, partial bool)
}

func (m HistoryMsg) answer() (string, time.Duration, history.Window, error, bool) {
	return m.Model, m.Window.Range, m.Window, m.Err, len(m.Window.Series) > 0
}

func (m DriftHistoryMsg) answer() (string, time.Duration, fleet.DriftHistory, error, bool) {
	return m.Model, m.History.Range, m.History, m.Err, false
}

// Follow applies msg to the history of model and reports whether it calls
// for a fetch now: a range chosen does, and a snapshot when one is due. A
// new range drops the data, fetched for another range: drawing it under
// the new range's name would mislead. An answer is taken, or dropped when
// it is for another model or a range no longer chosen.
func (h *RangeHistory[T]) Follow(msg tea.Msg, c *Common, model string) bool {
	switch msg := msg.(type) {
	case RangeMsg:
		if msg.Range > 0 && msg.Range != h.Range {
			var zero T
			h.Range, h.Data, h.Have, h.Err = msg.Range, zero, false, ""
			h.Serial++
		}
		return true
	case SnapshotMsg:
		stamp := msg.Snapshot.TakenAt
		if c.Now.After(stamp) {
			stamp = c.Now
		}
		return h.lastFetch.IsZero() || stamp.Sub(h.lastFetch) >= c.Refresh
	case Answer[T]:
		h.accept(msg, model)
	}
	return false
}

func (h *RangeHistory[T]) accept(a Answer[T], model string) {
	who, covers, data, err, partial := a.answer()
	if who != model {
		return
	}
	if err != nil {
		if covers != 0 && covers != h.Range {
			return // late: it says nothing about the current range
		}
		h.Err = termsafe.Clean(err.Error())
		if partial && covers == h.Range {
			h.Data, h.Have = data, true
		}
		h.Serial++
		return
	}
	if covers != h.Range {
		return
	}
	h.Data, h.Have, h.Err = data, true, ""
	h.Serial++
}

// Fetched records a fetch at width at clock now; it settles what was owed.
func (h *RangeHistory[T]) Fetched(width int, now time.Time) {
	h.width, h.lastFetch, h.owed = width, now, false
}

// Resized notes the width a fetch would ask for now; a change from the
// last fetch's makes one owed.
func (h *RangeHistory[T]) Resized(width int) {
	if h.width != 0 && width != h.width {
		h.owed = true
	}
}

// OwedFetch is fetch() when a fetch is owed (the screen opened without
// Init, or the width changed), else nil.
func (h *RangeHistory[T]) OwedFetch(fetch func() tea.Cmd) tea.Cmd {
	if !h.owed {
		return nil
	}
	return fetch()
}
