package root

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// lookBackTimeout bounds one snapshot of a past time: a poll of every
// query, as slow as the server is over old blocks.
const lookBackTimeout = 60 * time.Second

// lookBack is the dashboard frozen on a past time (:at, [ and ]). The
// live poller goes on: its snapshots are kept, not shown, until :live.
type lookBack struct {
	at    time.Time       // the time shown; zero: live
	asked time.Time       // the time asked for and not answered yet; zero: none
	live  *fleet.Snapshot // the newest live snapshot while frozen
	// The graphs' services of the present, put back by :live; while
	// frozen Common has them ending at the time shown.
	history common.HistoryProvider
	drift   common.DriftHistoryProvider
	poll    lookBackPoll
}

func (b *lookBack) frozen() bool { return !b.at.IsZero() }

// lookBackPoll is the one look back running. Each is a whole poll of the
// server, so at most one runs: a further request cancels it and waits
// for it to end, moving the time asked for as keys come, and the newest
// is asked for then (holding [ costs two polls, not one per key).
type lookBackPoll struct {
	id        uint64 // of the poll running; 0: none
	at        time.Time
	cancel    context.CancelFunc
	cancelled bool   // its answer is for a time no longer wanted
	last      uint64 // the last id given
}

// stop cancels the poll running, if any; its answer still comes (to end
// it) and is dropped.
func (p *lookBackPoll) stop() {
	if p.id != 0 && !p.cancelled {
		p.cancel()
		p.cancelled = true
	}
}

// lookBackMsg carries the snapshot of a past time.
type lookBackMsg struct {
	id   uint64
	at   time.Time
	snap fleet.Snapshot
	err  error
}

// whenText is how the dashboard writes a past time: in UTC, to the
// minute, with seconds when there are some.
func whenText(t time.Time) string {
	t = t.UTC()
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05 UTC")
	}
	return t.Format("2006-01-02 15:04 UTC")
}

// liveSnapshot shows a snapshot of the poller, or keeps it for :live while
// the dashboard looks back.
func (m *Model) liveSnapshot(s fleet.Snapshot) tea.Cmd {
	if m.back.frozen() {
		m.back.live = &s
		return nil
	}
	return m.applySnapshot(s)
}

// cmdAt is :at TIME.
func (m *Model) cmdAt(arg string) tea.Cmd {
	at, err := human.ParseAt(arg, m.c.Now)
	if err != nil {
		m.flash.set(":at: "+err.Error(), true, m.c.Now)
		return nil
	}
	return m.lookBackTo(at)
}

// cmdLive is :live: back to the poller's snapshots.
func (m *Model) cmdLive(string) tea.Cmd {
	asked := !m.back.asked.IsZero()
	m.back.asked = time.Time{} // an answer still coming is dropped
	m.back.poll.stop()
	if !m.back.frozen() {
		if asked {
			m.flash.set("live: the look back asked for is cancelled", false, m.c.Now)
		} else {
			m.flash.set("already live", false, m.c.Now)
		}
		return nil
	}
	live := m.back.live
	m.c.History, m.c.DriftHistory = m.back.history, m.back.drift
	m.c.At = time.Time{}
	m.back = lookBack{poll: m.back.poll}
	m.flash.set("live again", false, m.c.Now)
	// The same range again: every graph fetches the present's window.
	cmds := []tea.Cmd{m.broadcast(common.RangeMsg{Range: m.c.Range})}
	if live != nil {
		cmds = append(cmds, m.applySnapshot(*live))
	} else {
		// No live poll has answered since the freeze began (it came
		// before the first): the past must not stay on screen as live.
		cmds = append(cmds, m.awaitFirstPoll())
	}
	return tea.Batch(cmds...)
}

// awaitFirstPoll drops the snapshot shown: the status line and a fresh
// fleet screen (the one filter kept) wait for the poller's first, and the
// screens above the fleet, about the snapshot dropped, close.
func (m *Model) awaitFirstPoll() tea.Cmd {
	m.c.Snapshot = nil
	m.popToRoot()
	f := m.screens.Fleet(m.c)
	f.SetSize(m.lay.width, m.lay.bodyHeight)
	m.stack[0] = f
	var filter tea.Cmd
	if q := m.filter.applied; q != "" {
		filter = m.broadcast(common.FilterMsg{Query: q})
	}
	m.frames.invalidate()
	return tea.Batch(m.initScreen(f), filter)
}

// quit ends the program, cancelling a look back on its way.
func (m *Model) quit() tea.Cmd {
	m.back.poll.stop()
	return tea.Quit
}

// lookBackTo asks for the snapshot of at; the dashboard freezes on it when
// it comes.
func (m *Model) lookBackTo(at time.Time) tea.Cmd {
	p := m.c.LookBack
	if p == nil {
		m.flash.set("looking back needs a metrics server that keeps history (prometheus.url or scrape targets)", true, m.c.Now)
		return nil
	}
	m.back.asked = at
	m.flash.set("looking back to "+whenText(at)+"…", false, m.c.Now)
	switch run := &m.back.poll; {
	case run.id != 0 && !run.cancelled && run.at.Equal(at):
		return nil // the poll running answers it
	case run.id != 0:
		// One poll at a time: this one ends, then the newest time asked
		// for is polled (lookedBack).
		run.stop()
		return nil
	}
	return m.pollAt(p, at)
}

// pollAt starts the look back's poll of at.
func (m *Model) pollAt(p common.LookBackProvider, at time.Time) tea.Cmd {
	ctx, cancel := context.WithTimeout(m.ctx, lookBackTimeout)
	run := &m.back.poll
	run.last++
	id := run.last
	*run = lookBackPoll{id: id, at: at, cancel: cancel, last: id}
	return func() tea.Msg {
		defer cancel()
		snap, err := p.SnapshotAt(ctx, at)
		return lookBackMsg{id: id, at: at, snap: snap, err: err}
	}
}

// lookedBack shows the snapshot of a past time, unless another time has
// been asked for since (then that one is polled now) or :live. A failure
// leaves the screen as it was.
func (m *Model) lookedBack(msg lookBackMsg) tea.Cmd {
	run := &m.back.poll
	if msg.id != run.id {
		return nil
	}
	cancelled := run.cancelled
	run.cancel()
	*run = lookBackPoll{last: run.last}
	if m.back.asked.IsZero() {
		return nil // :live since
	}
	if cancelled || !msg.at.Equal(m.back.asked) {
		if p := m.c.LookBack; p != nil {
			return m.pollAt(p, m.back.asked)
		}
		return nil
	}
	m.back.asked = time.Time{}
	if msg.err != nil {
		m.flash.set(fmt.Sprintf("cannot look back to %s: %v", whenText(msg.at), msg.err), true, m.c.Now)
		return nil
	}
	if !m.back.frozen() {
		m.back.live = m.c.Snapshot
		m.back.history, m.back.drift = m.c.History, m.c.DriftHistory
	}
	m.back.at = msg.at
	m.c.At = msg.at
	m.c.History = common.HistoryEndingAt(m.back.history, msg.at)
	m.c.DriftHistory = common.DriftHistoryEndingAt(m.back.drift, msg.at)
	m.flash.clear()
	if lb := msg.snap.LookBack; lb != nil && len(lb.Notes) > 0 {
		// What is not as it was then (today's aliases, unknown alerts):
		// in full for a while, then as the status line's warning.
		m.flash.set("not as it was: "+strings.Join(lb.Notes, "; "), false, m.c.Now)
	}
	// An action asked for before the freeze must not go on over the past.
	m.dropActionsForPast()
	// The snapshot, then the same range again: every graph fetches the
	// window ending at the time shown.
	return tea.Batch(m.applySnapshot(msg.snap), m.broadcast(common.RangeMsg{Range: m.c.Range}))
}

// step moves the time looked at by the graph range: back (dir < 0) from
// the time shown (or asked for, or now when live), or forward, returning
// to live once the step reaches the present.
func (m *Model) step(dir int) tea.Cmd {
	from := m.c.Now
	switch {
	case !m.back.asked.IsZero():
		from = m.back.asked
	case m.back.frozen():
		from = m.back.at
	case dir > 0:
		m.flash.set("live already: [ looks back", false, m.c.Now)
		return nil
	}
	at := from.Add(time.Duration(dir) * m.c.Range)
	if dir > 0 && !at.Before(m.c.Now) {
		return m.cmdLive("")
	}
	return m.lookBackTo(at)
}

// lookBackNotice is the status line's plain word that the data is not
// live; "" when it is.
func (m *Model) lookBackNotice(detail statusDetail) string {
	t := m.c.Theme
	switch {
	case m.back.frozen() && detail >= statusMedium:
		out := t.ReadOnly.Render("AT "+whenText(m.back.at)+" — not live") + t.Muted.Render(" · :live returns")
		if s := m.c.Snapshot; s != nil && s.LookBack != nil && len(s.LookBack.Notes) > 0 {
			note := human.Clip(termsafe.Clean(s.LookBack.Notes[0]), 60)
			if n := len(s.LookBack.Notes); n > 1 {
				note += fmt.Sprintf(" (+%d)", n-1)
			}
			out += " " + t.Warn.Render(m.c.Glyphs.Warn+" "+note)
		}
		return out
	case m.back.frozen():
		return t.ReadOnly.Render("AT " + whenText(m.back.at) + " — not live")
	}
	return ""
}

// frozenBlock is why actions are refused here: looking back, or the view
// of every context (whose models' actions are in their own context).
func (m *Model) frozenBlock() string {
	if m.ctxs.merged {
		return common.CrossContextRefusal
	}
	if !m.back.frozen() {
		return ""
	}
	return "looking back at " + whenText(m.back.at) + ": actions act on the present; :live first"
}

// topBinds reports whether the top screen binds k itself (the compare
// screen's [ and ] move its A version): then the key is the screen's.
func (m *Model) topBinds(k tea.KeyPressMsg) bool {
	km := m.top().Keys()
	for _, b := range km.ShortHelp() {
		if key.Matches(k, b) {
			return true
		}
	}
	for _, col := range km.FullHelp() {
		for _, b := range col {
			if key.Matches(k, b) {
				return true
			}
		}
	}
	return false
}

// atCandidates are the times :at completes: steps back from now.
func atCandidates(*Model) []candidate {
	return []candidate{
		{word: "-15m", desc: "15 minutes ago"}, {word: "-1h", desc: "an hour ago"},
		{word: "-6h", desc: "six hours ago"}, {word: "-1d", desc: "a day ago"},
	}
}

// dropActionsForPast cancels the plan asked for and closes a dialog not
// yet confirmed, saying so, when the dashboard freezes on a past time:
// actions act on the present. A dialog already sent stays for its outcome.
func (m *Model) dropActionsForPast() {
	what := m.cancelUnsent()
	if len(what) == 0 {
		return
	}
	m.flash.set(fmt.Sprintf("cancelled: %s — looking back at %s, and actions act on the present", strings.Join(what, ", "), whenText(m.back.at)), true, m.c.Now)
}

// cancelUnsent drops the plan asked for and closes a dialog not yet
// confirmed, and names what it dropped. A dialog already sent stays for
// its outcome.
func (m *Model) cancelUnsent() []string {
	var what []string
	if m.act.pending != "" {
		what = append(what, strings.ToLower(m.act.pendingAction)+" "+termsafe.Clean(m.act.pendingModel))
		m.act.pending = ""
	}
	if d := m.act.dialog; d != nil && d.Editing() {
		what = append(what, strings.ToLower(m.act.pendingAction)+" "+termsafe.Clean(d.Model()))
		m.act.dialog = nil
		if m.overlay == overlayDialog {
			m.overlay = overlayNone
		}
	}
	return what
}
