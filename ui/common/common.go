// Package common holds what every screen shares: the theme, the latest
// snapshot, the clock for ages, the size, and the messages screens exchange.
// The root model owns one Common and hands every screen a pointer to it, so
// no screen reads a package global (as soft-serve does).
package common

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
)

// Common is shared, read-mostly state. Only the root model writes it, and
// only inside Update, so View stays a pure function of state.
type Common struct {
	Theme  *themes.Theme
	Glyphs themes.Glyphs

	// Snapshot is the latest published snapshot; nil before the first poll.
	Snapshot *fleet.Snapshot
	// Now is the clock for "age" labels, advanced by the root's tick; View
	// never calls time.Now.
	Now time.Time
	// Refresh is the poll interval, shown in the status bar.
	Refresh time.Duration
	// At is the past time the dashboard shows while looking back (:at);
	// zero when live. Graphs, events and the serving strip end there.
	At time.Time
	// LookBack makes the snapshot of a past time (:at, [ and ]); nil when
	// the metrics source keeps no past.
	LookBack LookBackProvider

	ReadOnly bool
	User     string // who is looking: local user, or SSH user
	Role     string // viewer or operator
	// Range is the graph range chosen with 1–4 or :range.
	Range time.Duration
	// Thresholds are shown next to values ("> 48h"); the verdicts made
	// from them are already in the snapshot (internal/judge).
	Thresholds fleet.Thresholds
	// Comparisons decide the compare screen's verdict rows (alpha, window,
	// looks); zero values are the defaults.
	Comparisons judge.Comparisons
	// History fetches graph data through commands (FetchHistory); nil when
	// the metrics source cannot answer range queries.
	History HistoryProvider
	// DriftHistory computes drift scores over a range (FetchDriftHistory);
	// nil when there are no feature histograms to compute from.
	DriftHistory DriftHistoryProvider
	// Actions plans, runs and lists actions (rollback, retrain, custom);
	// nil when there is no executor: no action keys then.
	Actions Actions
	// Served says which versions served when (FetchServed); nil when the
	// metrics source cannot answer range queries.
	Served ServedProvider
	// KeyFingerprint identifies an SSH user's key in the audit log; "" for
	// a local user.
	KeyFingerprint string
	// Events lists what happened to a model over a range (FetchEvents),
	// marked on the graphs; nil: no marks.
	Events EventsProvider
}

// GraphEnd is when the graphs' windows end: the time looked at, or now.
func (c *Common) GraphEnd() time.Time {
	if !c.At.IsZero() {
		return c.At
	}
	return c.Now
}

// Ranges are the graph ranges bound to keys 1–4.
var Ranges = []time.Duration{15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour}

// Screen is the contract of every screen, so the root can route to it and
// the help view can list its keys without knowing it.
type Screen interface {
	// Update handles keys and data; a screen returns itself (a pointer).
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View renders exactly Width×Height cells (lines no wider than Width,
	// no more than Height lines); pure function of state and size.
	View() string
	// SetSize is the only way a size reaches a screen.
	SetSize(width, height int)
	// Keys are the screen's bindings, rendered by ? and the short help line.
	Keys() help.KeyMap
	// Title is the screen's breadcrumb, e.g. "credit-risk".
	Title() string
	// Capturing reports whether the screen is taking text input (a filter
	// field is focused), so the root does not treat letters as commands.
	Capturing() bool
}

// Messages screens and the root exchange. They name what happened.
type (
	// SnapshotMsg carries a newly published snapshot.
	SnapshotMsg struct{ Snapshot fleet.Snapshot }
	// TickMsg advances the clock used for ages.
	TickMsg struct{ Now time.Time }
	// OpenModelMsg asks the root to push the detail screen of a model.
	OpenModelMsg struct{ Model string }
	// OpenDriftMsg asks for the drift screen of a model.
	OpenDriftMsg struct{ Model string }
	// OpenCompareMsg asks for the compare screen of two versions ("" = default pair).
	OpenCompareMsg struct{ Model, A, B string }
	// BackMsg asks the root to pop the current screen.
	BackMsg struct{}
	// RangeMsg says the graph range changed.
	RangeMsg struct{ Range time.Duration }
	// HistoryMsg carries a history window fetched for a range; Model names
	// who asked ("" = the fleet screen's trends), so a late answer for a
	// screen already closed is dropped.
	HistoryMsg struct {
		Model  string
		Window history.Window
		Err    error
	}
	// FilterMsg sets the fleet filter typed after / ("" clears it).
	FilterMsg struct{ Query string }
	// ThemeChangedMsg says Common.Theme changed: drop styled caches.
	ThemeChangedMsg struct{}
	// StatusMsg is a one-line message for the status bar (errors in plain words).
	StatusMsg struct {
		Text  string
		Error bool
	}
)

// HistoryProvider fetches graph data. The root turns requests into tea.Cmds
// that call it off the UI goroutine; screens never call it themselves.
type HistoryProvider interface {
	History(rng time.Duration, width int) (history.Window, error)
}

// DriftHistoryProvider computes a model's drift over a range, about width
// steps, for the drift screen's sparklines and heatmap.
type DriftHistoryProvider interface {
	DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error)
}

// DriftHistoryMsg carries drift over time for the model that asked.
type DriftHistoryMsg struct {
	Model   string
	History fleet.DriftHistory
	Err     error
}

// Actions is what the dashboard asks of the action executor
// (*actions.Executor with its audit log). Screens and dialogs call it only
// from tea.Cmds: every method may block on the network or the disk.
type Actions interface {
	Plan(ctx context.Context, req actions.Request) (actions.Plan, error)
	Execute(ctx context.Context, req actions.Request) actions.Result
	Specs() []actions.Spec
	ReadOnly() bool
	// AuditRecords reads the audit log, oldest first, with the number of
	// torn lines skipped.
	AuditRecords(f audit.Filter) (records []audit.Record, torn int, err error)
}

// Approver is the Actions of a `mltop serve` session (a type assertion
// finds it): an action on a model under actions.two_person waits there for
// a second operator, whom every operator session can be. Waiting and
// Notices may write the audit log (expiries): call them from tea.Cmds too.
type Approver interface {
	Waiting() []actions.Pending
	Approve(ctx context.Context, id string) actions.Result
	Reject(ctx context.Context, id, reason string) actions.Result
	// Notices are what became of this session's user's requests, after
	// seq, and the last seq.
	Notices(after int) ([]actions.Notice, int)
}

// Actor is who acts from this dashboard, as the audit log records it.
func (c *Common) Actor() actions.Actor {
	return actions.Actor{User: c.User, Role: c.Role, KeyFingerprint: c.KeyFingerprint}
}

// ActionDoneMsg says an action ended (any outcome), so screens that show
// its effects, such as the audit log, refresh.
type ActionDoneMsg struct{ Result actions.Result }

// OpenAuditMsg asks for the audit screen ("" = every model).
type OpenAuditMsg struct{ Model string }

// OpenAlertsMsg asks for the alerts screen of a model ("" = every model),
// over the screen that asked.
type OpenAlertsMsg struct{ Model string }
