package detailscreen

import (
	"strconv"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
)

// Events list bounds: at least this many lines when there are events
// (the page scrolls to them), at most this many however tall the screen.
const (
	minEventLines = 3
	maxEventLines = 12
)

// timeAxis is the graphs' time axis over the history's range with the
// model's events marked; nil before there is a window to draw.
func (m *Model) timeAxis(times bool) *graph.TimeAxis {
	return graph.WindowAxis(m.hist.Data, m.events.Data.Events, m.c.Now.Location(), times)
}

// kindWords name the kinds in the list, beside their marks.
var kindWords = map[fleet.EventKind]string{
	fleet.EventDeploy:      "deploy",
	fleet.EventAlias:       "alias",
	fleet.EventStage:       "stage",
	fleet.EventRolloutStep: "rollout",
	fleet.EventAction:      "action",
	fleet.EventDriftOnset:  "drift",
	fleet.EventAlert:       "alert",
}

// eventLines are the model's events under the graphs, newest first, at
// most limit lines; nil without an events provider.
func (m *Model) eventLines(w, limit int) []string {
	if m.c.Events == nil {
		return nil
	}
	th, g := m.c.Theme, m.c.Glyphs
	ev := &m.events
	title := th.Header.Render("Events") + th.Muted.Render(" (last "+common.RangeText(ev.Range)+")")
	out := []string{title}
	if ev.Err != "" {
		out = append(out, common.Fit(th.Warn.Render(g.Warn+" some events are missing: "+ev.Err), w))
	}
	switch {
	case !ev.Have && ev.Err == "":
		return append(out, th.Muted.Render("loading…"))
	case len(ev.Data.Events) == 0 && ev.Err == "":
		return append(out, th.Muted.Render("none in the last "+common.RangeText(ev.Range)))
	}
	evs := ev.Data.Events
	limit = max(limit, minEventLines)
	shown := min(len(evs), limit)
	if shown < len(evs) {
		shown-- // room for the count of the rest
	}
	marks := g.Events
	loc := m.c.Now.Location()
	for i := len(evs) - 1; i >= len(evs)-shown; i-- {
		e := evs[i]
		when := e.Time.In(loc).Format("15:04")
		if !sameDay(e.Time.In(loc), m.c.Now.In(loc)) {
			when = e.Time.In(loc).Format("Jan 2 15:04")
		}
		word := kindWords[e.Kind]
		if word == "" {
			word = termsafe.Clean(string(e.Kind))
		}
		st := th.EventStyle(e.Kind)
		line := th.Muted.Render(padLeft(when, 11)) + " " + st.Render(marks.Of(e.Kind)+" "+padRight(word, 7)) + " " + th.Text.Render(termsafe.Clean(e.Text))
		out = append(out, common.Fit(line, w))
	}
	if rest := len(evs) - shown; rest > 0 {
		out = append(out, th.Muted.Render(padLeft("", 11)+" +"+strconv.Itoa(rest)+" older"))
	}
	return out
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func padLeft(s string, n int) string {
	for len([]rune(s)) < n {
		s = " " + s
	}
	return s
}

func padRight(s string, n int) string {
	for len([]rune(s)) < n {
		s += " "
	}
	return s
}
