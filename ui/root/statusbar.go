package root

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// flashFor is how long a status message stays when no key clears it.
const flashFor = 8 * time.Second

// flash is a one-line message on the key line: a command's error, a bad
// filter, a screen's StatusMsg.
type flash struct {
	text  string
	isErr bool
	until time.Time
}

func (f *flash) set(text string, isErr bool, now time.Time) {
	f.text, f.isErr, f.until = termsafe.Clean(text), isErr, now.Add(flashFor)
}

func (f *flash) expire(now time.Time) {
	if f.text != "" && now.After(f.until) {
		f.clear()
	}
}

func (f *flash) clear() { *f = flash{} }

// statusLine is the top line: app and breadcrumbs, each source with its
// state, the data's age, the read-only badge and the global key hints.
// When it does not fit, detail is dropped in a fixed order (hints, then
// latencies, then words) rather than cut mid-word.
func (m *Model) statusLine() string {
	w := m.lay.width
	for detail := statusFull; detail >= statusTerse; detail-- {
		right := ""
		if detail == statusFull {
			right = m.statusHints()
		}
		budget := errorBudget[detail]
		left := m.statusLeft(detail, budget)
		if line, ok := joinEnds(left, right, w); ok {
			return line
		}
		// Errors are the longest part: shorten them to the room left
		// before giving up other detail.
		if n := m.failingSources(); n > 0 && budget > 0 {
			over := lipgloss.Width(left) + lipgloss.Width(right) + 1 - w
			if b := budget - (over+n-1)/n; b >= minErrorBudget {
				if line, ok := joinEnds(m.statusLeft(detail, b), right, w); ok {
					return line
				}
			}
		}
	}
	if badge := m.contextBadge(); badge != "" && lipgloss.Width(" mltop "+termsafe.Clean(m.ctxs.name)) >= w {
		// Too narrow for the app's name too: the context's goes first.
		return ansi.Truncate(" "+badge, w, "…")
	}
	return ansi.Truncate(m.statusLeft(statusTerse, 0), w, "…")
}

// errorBudget is the most cells a source's error takes at each level of
// detail; minErrorBudget the least worth showing.
var errorBudget = map[statusDetail]int{statusFull: 80, statusMedium: 80, statusShort: 24, statusTerse: 0}

const minErrorBudget = 16

func (m *Model) failingSources() int {
	n := 0
	if m.c.Snapshot != nil {
		for _, s := range m.c.Snapshot.Sources {
			if !s.OK {
				n++
			}
		}
	}
	return n
}

type statusDetail int

const (
	statusTerse  statusDetail = iota // icons only
	statusShort                      // errors shortened, no latencies
	statusMedium                     // no key hints
	statusFull
)

func (m *Model) statusLeft(detail statusDetail, errBudget int) string {
	t := m.c.Theme
	sep := t.Subtle.Render(" · ")
	var b strings.Builder
	b.WriteString(" " + t.Title.Render("mltop"))
	if badge := m.contextBadge(); badge != "" {
		b.WriteString(" " + badge)
	}
	for _, s := range m.stack[1:] {
		b.WriteString(t.Subtle.Render(" › ") + t.Breadcrumb.Render(termsafe.Clean(s.Title())))
	}
	if m.context != "" && detail > statusTerse {
		b.WriteString("  " + t.Muted.Render(termsafe.Clean(m.context)))
	}
	if m.c.ReadOnly {
		b.WriteString("  " + t.ReadOnly.Render("READ-ONLY"))
	}
	if n := m.approvalsNotice(); n != "" {
		// First after the name: the one thing here someone must act on.
		b.WriteString("  " + n)
	}
	if n := m.lookBackNotice(detail); n != "" {
		// Before any source's state: whatever follows is not now.
		b.WriteString("  " + n)
	}
	snap := m.c.Snapshot
	if snap == nil {
		b.WriteString(sep + t.Muted.Render("waiting for the first poll…"))
		return b.String()
	}
	for _, s := range snap.Sources {
		if s.IsAlerts() && snap.Alerts != nil {
			b.WriteString(sep + m.alertsStatus(snap.Alerts, s, detail, errBudget))
			continue
		}
		b.WriteString(sep + m.sourceStatus(s, detail, errBudget))
	}
	if !m.back.frozen() {
		b.WriteString(sep + m.refreshed(snap, detail))
	}
	return b.String()
}

// sourceStatus is "prometheus ✔ 42ms", or for a failing source its error
// in plain words and how old its data is: "mlflow ✖ connection refused ⏲ 3m old".
// The built-in engine with some exporters down is "embedded ⚠ 3/7 targets
// down: connection refused"; with all of them, ✖ and the data's age.
func (m *Model) sourceStatus(s fleet.SourceStatus, detail statusDetail, errBudget int) string {
	t, g := m.c.Theme, m.c.Glyphs
	name := t.Text.Render(termsafe.Clean(s.Name))
	if detail >= statusMedium && s.Backend != "" && s.Backend != s.Name {
		// Which engine answers: "prometheus (thanos)".
		name += " " + t.Muted.Render("("+termsafe.Clean(s.Backend)+")")
	}
	if s.Progress != nil {
		// A read spanning several polls (a large registry): how far it has
		// come, rather than an error.
		out := name + " " + t.Muted.Render(g.Unknown)
		if detail == statusTerse || errBudget <= 0 {
			return out
		}
		return out + " " + t.Muted.Render(ansi.Truncate(s.Progress.String(), errBudget, "…"))
	}
	if s.OK && len(s.Warnings) > 0 {
		// A partial response (a Thanos store down): data, but not all of it.
		out := name + " " + t.Warn.Render(g.Warn)
		if detail == statusTerse || errBudget <= 0 {
			return out
		}
		msg := "partial: " + termsafe.Clean(s.Warnings[0])
		if n := len(s.Warnings); n > 1 {
			msg = fmt.Sprintf("partial (%d): %s", n, termsafe.Clean(s.Warnings[0]))
		}
		if down, _ := s.TargetsDown(); down > 0 {
			// The poller's first warning: "3/7 targets down: connection refused".
			return out + " " + t.Warn.Render(targetsMessage(termsafe.Clean(s.Warnings[0]), errBudget))
		}
		return out + " " + t.Warn.Render(ansi.Truncate(msg, errBudget, "…"))
	}
	if p := s.Profiles; s.OK && p != nil && p.Problem != "" {
		// Detection could not choose: every exporter profile is read.
		out := name + " " + t.Warn.Render(g.Warn)
		if detail == statusTerse || errBudget <= 0 {
			return out
		}
		return out + " " + t.Warn.Render(ansi.Truncate(profilesProblem(p), errBudget, "…"))
	}
	if s.OK {
		out := name + " " + t.OK.Render(g.OK)
		if p := s.Profiles; detail >= statusMedium && p != nil && p.Detected {
			out += " " + t.Muted.Render("profiles "+termsafe.Clean(strings.Join(p.Names, "+"))+" (detected)")
		}
		if r := s.Recorded; detail >= statusMedium && r != nil && len(r.Roles) > 0 {
			// Some values come from recording rules: they lag by up to
			// the rules' interval (docs/alerting.md).
			out += " " + t.Muted.Render(fmt.Sprintf("recorded %d/%d roles", len(r.Roles), r.Of))
		}
		if detail >= statusMedium && s.Latency > 0 {
			out += " " + m.latency(s.Latency)
		}
		return out
	}
	out := name + " " + t.Bad.Render(g.Bad)
	if detail == statusTerse || errBudget <= 0 {
		return out
	}
	msg := termsafe.Clean(s.Error)
	if msg == "" {
		msg = "not answering"
	}
	if down, _ := s.TargetsDown(); down > 0 {
		msg = targetsMessage(msg, errBudget)
	}
	out += " " + t.Bad.Render(ansi.Truncate(msg, errBudget, "…"))
	if s.LastSuccess.IsZero() {
		return out + " " + t.Stale.Render("no data yet")
	}
	age := m.c.Now.Sub(s.LastSuccess)
	return out + " " + t.Stale.Render(g.Stale+" data "+human.Duration(max(age, 0))+" old")
}

// profilesProblem says why no profile was detected, and what is read
// instead.
func profilesProblem(p *fleet.Profiles) string {
	return termsafe.Clean(p.Problem) + "; reading every exporter profile"
}

// targetsMessage fits "7/7 targets down: connection refused" into budget
// cells, dropping the reason whole before cutting the count.
func targetsMessage(msg string, budget int) string {
	if lipgloss.Width(msg) <= budget {
		return msg
	}
	if head, _, ok := strings.Cut(msg, ": "); ok && lipgloss.Width(head) <= budget {
		return head
	}
	return ansi.Truncate(msg, budget, "…")
}

// latency is how long a source took to answer; one slower than the
// refresh (whose refreshes then come less often) says so, as a warning.
func (m *Model) latency(d time.Duration) string {
	t := m.c.Theme
	text := human.Seconds(d.Seconds())
	if r := m.c.Refresh; r > 0 && d > r {
		return t.Warn.Render(text + ", slower than the " + human.Duration(r) + " refresh")
	}
	return t.Muted.Render(text)
}

// refreshed is the snapshot's age and the poll interval: "refreshed 2s ago (5s)".
func (m *Model) refreshed(s *fleet.Snapshot, detail statusDetail) string {
	t := m.c.Theme
	age := human.Duration(max(m.c.Now.Sub(s.TakenAt), 0)) + " ago"
	if detail <= statusShort {
		return t.Muted.Render(age)
	}
	out := "refreshed " + age
	if m.c.Refresh > 0 {
		out += " (" + human.Duration(m.c.Refresh) + ")"
	}
	return t.Muted.Render(out)
}

func (m *Model) statusHints() string {
	t := m.c.Theme
	hint := func(k, d string) string { return t.Key.Render(k) + " " + t.KeyDesc.Render(d) }
	return hint("?", "help") + "  " + hint(":", "cmd") + "  " + hint("/", "filter") + " "
}

// keyLine is the bottom line: the input being typed, or a status message,
// or the keys of the current screen followed by the global ones; the
// user's role on the right.
func (m *Model) keyLine() string {
	t := m.c.Theme
	w := m.lay.width
	right := m.identity()
	switch m.overlay {
	case overlayFilter:
		left := " " + m.filter.input.View()
		if m.filter.err != "" {
			left += "  " + t.Bad.Render(m.c.Glyphs.Bad+" "+m.filter.err)
		}
		return fitEnds(left, right, w)
	case overlayPalette:
		return fitEnds(" "+m.palette.input.View(), right, w)
	case overlayDialog:
		h := help.New()
		h.Styles = helpStyles(t)
		h.ShortSeparator = "  "
		return fitEnds(" "+shortHelp(h, dialogKeys(), max(w-lipgloss.Width(right)-3, 0)), right, w)
	}
	left := " "
	if m.filter.applied != "" && len(m.stack) == 1 {
		left += t.Key.Render("/"+termsafe.Clean(m.filter.applied)) + "  "
	}
	if m.flash.text != "" {
		style := t.Text
		icon := ""
		if m.flash.isErr {
			style, icon = t.Bad, m.c.Glyphs.Bad+" "
		}
		return fitEnds(left+style.Render(icon+m.flash.text), right, w)
	}
	hints := m.actionHints()
	room := max(w-lipgloss.Width(left)-lipgloss.Width(hints)-lipgloss.Width(right)-2, 0)
	keys := m.shortKeys()
	line := m.helpMemo.line(t, keys, room, func() string {
		h := help.New()
		h.Styles = helpStyles(t)
		h.ShortSeparator = "  "
		return shortHelp(h, keys, room)
	})
	return fitEnds(left+hints+line, right, w)
}

// shortHelp renders keys in at most room cells. The help model adds the
// item that does not fit when there is no room for its "…" either, so a
// narrower width is tried until the line fits.
func shortHelp(h help.Model, keys []key.Binding, room int) string {
	for width := room; width > 0; width-- {
		h.SetWidth(width)
		if v := h.ShortHelpView(keys); lipgloss.Width(v) <= room {
			return v
		}
	}
	return ""
}

// shortKeys are the screen's short help then the global keys it lacks.
func (m *Model) shortKeys() []key.Binding {
	out := m.top().Keys().ShortHelp()
	seen := map[string]bool{}
	for _, b := range out {
		seen[b.Help().Key] = true
	}
	for _, b := range m.keys.ShortHelp(len(m.stack) > 1) {
		if !seen[b.Help().Key] {
			out = append(out, b)
		}
	}
	return out
}

// identity is the help hint, who is looking and with which role:
// "? help  ana · operator". The hint is here so it survives narrow windows.
func (m *Model) identity() string {
	t := m.c.Theme
	out := t.Key.Render(m.keys.Help.Help().Key) + " " + t.KeyDesc.Render(m.keys.Help.Help().Desc) + "  "
	if m.c.User != "" {
		out += t.Muted.Render(termsafe.Clean(m.c.User)) + t.Subtle.Render(" · ")
	}
	if m.c.Role != "" {
		out += t.Muted.Render(termsafe.Clean(m.c.Role))
	}
	return out + " "
}

// joinEnds puts left and right on one line of width w, right-aligned; ok
// is false when they do not fit side by side.
func joinEnds(left, right string, w int) (string, bool) {
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	gap := w - lw - rw
	if gap < 0 || (right != "" && gap < 1) {
		return "", false
	}
	return left + strings.Repeat(" ", gap) + right, true
}

// fitEnds is joinEnds that gives way: the right part is dropped, then the
// left one is cut, so the line never wraps.
func fitEnds(left, right string, w int) string {
	if line, ok := joinEnds(left, right, w); ok {
		return line
	}
	return ansi.Truncate(left, w, "…")
}
