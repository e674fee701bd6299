// Package root is the dashboard's root model: it routes keys and data to a
// stack of screens (fleet at the bottom, detail pushed on top), draws the
// status line and the key line around them, owns the filter and command
// inputs and the help overlay, and limits how often the screen is redrawn.
package root

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// Screens builds the screens the root pushes. Tests pass small fakes.
type Screens struct {
	Fleet  func(c *common.Common) common.Screen
	Detail func(c *common.Common, model string) common.Screen
	// Drift and Compare open a model's drift screen and the side-by-side
	// comparison of two of its versions ("" = the default pair).
	Drift   func(c *common.Common, model string) common.Screen
	Compare func(c *common.Common, model, a, b string) common.Screen
	// Audit lists the action log (:audit), of one model or of all ("").
	Audit func(c *common.Common, model string) common.Screen
	// Alerts lists the alerts (:alerts, a on a model's detail), of one
	// model or of all ("").
	Alerts func(c *common.Common, model string) common.Screen
}

// Options configure a root model.
type Options struct {
	// Common, when set, is used as is (tests, SSH sessions that build
	// their own); otherwise one is built from the fields below.
	Common *common.Common
	// Snapshots is the poller's subscription (Hub().Subscribe()); nil
	// when snapshots are sent as common.SnapshotMsg instead.
	Snapshots <-chan fleet.Snapshot
	// Theme is a theme name; "" or "auto" follows the terminal background.
	Theme string
	// NoColor drops colours (NO_COLOR, --no-color) until :theme says otherwise.
	NoColor bool
	// LookBack makes snapshots of past times (:at); nil: no looking back.
	// It is set on Common too when the caller passes its own.
	LookBack common.LookBackProvider
	// Done ends when the dashboard's viewer is gone (an SSH session's
	// connection): a look back still running then is cancelled. nil: the
	// dashboard ends them itself when it quits.
	Done context.Context

	ReadOnly   bool
	User, Role string
	Refresh    time.Duration
	// Range is the graph range to start with; 0 means 1h.
	Range      time.Duration
	Thresholds fleet.Thresholds
	// Comparisons decide the compare screen's verdict rows.
	Comparisons judge.Comparisons
	History     common.HistoryProvider
	// KeyFingerprint is an SSH user's key, recorded with their actions;
	// "" for a local user.
	KeyFingerprint string
	// DriftHistory computes drift over time for the drift screen; nil
	// when there are no feature histograms.
	DriftHistory common.DriftHistoryProvider
	// Served says which versions served when, for the detail screen's
	// strip; nil: the strip says there is no serving history.
	Served common.ServedProvider
	// Actions plans and runs actions (R, T, custom keys) and reads the
	// audit log; nil: no action keys. It is set on Common too when the
	// caller passes its own.
	Actions common.Actions
	// Events lists what happened to a model over a range, marked on the
	// graphs; nil: no marks.
	Events common.EventsProvider
	// Context names what is watched, shown after the app name ("demo").
	Context string
	// Contexts are the config's contexts :ctx switches between (ui/contexts
	// fills them); nil without contexts. ContextName and ContextColor are
	// the one this root shows, drawn first on the status line.
	Contexts     []common.ContextInfo
	ContextName  string
	ContextColor string
	// Merged makes this root the view of every context's fleet (:ctx all):
	// actions are refused and opening a model switches to its context.
	Merged bool
	// Now is the start time for ages until the first clock tick; default time.Now().
	Now time.Time
	// Screens default to the fleet and detail screens.
	Screens Screens
}

type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayFilter
	overlayPalette
	overlayDialog    // an action's confirmation dialog (actions.go)
	overlayApprovals // what waits for a second operator (approvals.go)
)

// Model is the root tea.Model.
type Model struct {
	c       *common.Common
	ctx     context.Context // Options.Done, or Background
	screens Screens
	context string
	stack   []common.Screen
	ctxs    contextState

	snapshots <-chan fleet.Snapshot
	theme     themeChoice
	// colorTheme is the theme ctrl+t returns to when colours come back.
	colorTheme string

	lay      layout
	keys     globalKeys
	input    inputKeys
	overlay  overlayKind
	helpMemo helpMemo
	// helpOffset is the help overlay's scroll position, kept in range by helpKey.
	helpOffset int
	filter     filterBar
	palette    palette
	flash      flash
	appr       approvalState
	act        actionState
	back       lookBack

	frames frames
}

// New builds the root model with the fleet screen at the bottom of the stack.
func New(opts Options) *Model {
	m := &Model{
		screens: opts.Screens, context: opts.Context, snapshots: opts.Snapshots,
		ctxs: contextState{list: opts.Contexts, name: opts.ContextName, color: opts.ContextColor, merged: opts.Merged},
		keys: newGlobalKeys(), input: newInputKeys(),
		theme: themeChoice{name: normalTheme(opts.Theme), dark: true},
	}
	if opts.NoColor {
		m.theme.name = "no-color"
	}
	if m.screens.Fleet == nil || m.screens.Detail == nil {
		m.screens = defaultScreens(m.screens)
	}
	m.ctx = opts.Done
	if m.ctx == nil {
		m.ctx = context.Background()
	}
	m.c = opts.Common
	if m.c == nil {
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		m.c = &common.Common{
			Glyphs: themes.Unicode, Now: now, Refresh: opts.Refresh,
			ReadOnly: opts.ReadOnly, User: opts.User, Role: opts.Role, KeyFingerprint: opts.KeyFingerprint,
			Range: opts.Range, Thresholds: opts.Thresholds, History: opts.History,
			Comparisons:  opts.Comparisons,
			DriftHistory: opts.DriftHistory,
			Served:       opts.Served,
			Events:       opts.Events,
		}
	}
	if m.c.Theme != nil && opts.Theme == "" && !opts.NoColor {
		// The caller chose the theme: "auto" must not replace it.
		m.theme.name = m.c.Theme.Palette.Name
		if m.c.Theme.NoColor {
			m.theme.name = "no-color"
		}
	} else {
		th, err := m.theme.build()
		if err != nil {
			// A bad name is the caller's to report (ResolveTheme); here the
			// dashboard still starts, in the default theme, and says so.
			m.theme.name = "auto"
			th, _ = m.theme.build()
			m.flash.set(err.Error(), true, m.c.Now)
		}
		m.c.Theme = th
	}
	if opts.Actions != nil {
		m.c.Actions = opts.Actions
	}
	if opts.LookBack != nil {
		m.c.LookBack = opts.LookBack
	}
	if m.screens.Audit == nil {
		m.screens.Audit = defaultScreens(Screens{}).Audit
	}
	if m.screens.Alerts == nil {
		m.screens.Alerts = defaultScreens(Screens{}).Alerts
	}
	if m.c.Range == 0 {
		m.c.Range = time.Hour
	}
	m.filter = newFilterBar(m.c.Theme)
	m.palette = newPalette(m.c.Theme)
	m.stack = []common.Screen{m.screens.Fleet(m.c)}
	return m
}

// Init asks the terminal for its background (for "auto"), starts the clock
// and the snapshot subscription.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, clockTick(), waitForSnapshot(m.snapshots), m.initScreen(m.stack[0]))
}

// Common is the shared state handed to screens (read-only for callers).
func (m *Model) Common() *common.Common { return m.c }

// Renders is how many frames were drawn: the rate limiter's counter.
func (m *Model) Renders() int { return m.frames.renders }

// Stack returns the titles of the screens, bottom first.
func (m *Model) Stack() []string {
	out := make([]string, len(m.stack))
	for i, s := range m.stack {
		out[i] = s.Title()
	}
	return out
}

// Filter is the fleet filter in effect.
func (m *Model) Filter() string { return m.filter.applied }

// Update routes a message: root messages here, keys by focus, data to every screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotArrivedMsg:
		return m, tea.Batch(m.liveSnapshot(msg.snapshot), waitForSnapshot(m.snapshots))
	case common.SnapshotMsg:
		return m, m.liveSnapshot(msg.Snapshot)
	case lookBackMsg:
		m.frames.invalidate()
		return m, m.lookedBack(msg)
	case snapshotsClosedMsg:
		m.snapshots = nil
		m.flash.set("the poller stopped: data is no longer refreshed", true, m.c.Now)
		m.frames.invalidate()
		return m, nil
	case clockMsg:
		m.c.Now = msg.now
		m.flash.expire(m.c.Now)
		return m, tea.Batch(m.broadcast(common.TickMsg{Now: msg.now}), m.frames.dataChanged(), clockTick(), m.pollApprovals())
	case approvalsMsg:
		m.approvalsArrived(msg)
		m.frames.invalidate()
		return m, nil
	case frameMsg:
		m.frames.tick()
		return m, nil
	}
	m.frames.invalidate()
	if cmd, ok := m.handleActionMsg(msg); ok {
		return m, cmd
	}
	if name, ok := modelToOpen(msg); ok && m.ctxs.merged {
		return m, m.openInContext(name)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.BackgroundColorMsg:
		m.theme.dark = msg.IsDark()
		if m.theme.name == "auto" {
			return m, m.setTheme("auto")
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.handlePaste(msg)
	case tea.MouseMsg:
		return m, m.handleMouse(msg)
	case common.OpenModelMsg:
		return m, m.push(m.screens.Detail(m.c, msg.Model))
	case common.OpenDriftMsg:
		return m, m.pushOr(m.screens.Drift(m.c, msg.Model), "no drift screen in this build")
	case common.OpenAlertsMsg:
		return m, m.push(m.screens.Alerts(m.c, msg.Model))
	case common.OpenCompareMsg:
		return m, m.pushOr(m.screens.Compare(m.c, msg.Model, msg.A, msg.B), "no compare screen in this build")
	case common.OpenScreenMsg:
		return m, m.push(msg.Screen)
	case common.BackMsg:
		m.pop()
		return m, nil
	case common.StatusMsg:
		m.flash.set(msg.Text, msg.Error, m.c.Now)
		return m, nil
	case common.FilterMsg:
		return m, m.applyFilter(msg.Query, true)
	case common.RangeMsg:
		return m, m.setRange(msg.Range)
	}
	// Everything else (history answers, screens' own async results) goes
	// to every screen: each message names who asked, the rest ignore it.
	return m, m.broadcast(msg)
}

// applySnapshot publishes a snapshot to Common and every screen. The first
// one is drawn at once; later ones wait for the next frame tick.
func (m *Model) applySnapshot(s fleet.Snapshot) tea.Cmd {
	first := m.c.Snapshot == nil
	m.c.Snapshot = &s
	cmd := m.broadcast(common.SnapshotMsg{Snapshot: s})
	if first {
		m.frames.invalidate()
		return cmd
	}
	return tea.Batch(cmd, m.frames.dataChanged())
}

// resize is the one place a size reaches the screens.
func (m *Model) resize(w, h int) {
	m.lay = computeLayout(w, h)
	for _, s := range m.stack {
		s.SetSize(m.lay.width, m.lay.bodyHeight)
	}
	m.filter.setWidth(m.lay.width)
	m.palette.setWidth(m.lay.width)
	if m.act.dialog != nil {
		m.act.dialog.SetSize(m.lay.width, m.lay.bodyHeight)
	}
}

// setRange changes the graph range and tells every screen, which re-fetch.
func (m *Model) setRange(r time.Duration) tea.Cmd {
	if r <= 0 {
		return nil
	}
	m.c.Range = r
	return m.broadcast(common.RangeMsg{Range: r})
}

// setTheme switches themes and tells screens to drop styled caches.
func (m *Model) setTheme(name string) tea.Cmd {
	choice := themeChoice{name: normalTheme(name), dark: m.theme.dark}
	th, err := choice.build()
	if err != nil {
		m.flash.set(err.Error(), true, m.c.Now)
		return nil
	}
	m.theme = choice
	m.c.Theme = th
	m.filter.setTheme(th)
	m.palette.setTheme(th)
	return m.broadcast(common.ThemeChangedMsg{})
}

// View draws the frame: status line, the top screen's body (with an
// overlay if one is open) and the key line. The frame is cached and only
// redrawn when something changed (see frames).
func (m *Model) View() tea.View {
	v := tea.NewView(m.frames.render(m.render))
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "mltop"
	v.BackgroundColor, v.ForegroundColor = m.theme.terminalColors(m.c.Theme)
	return v
}
