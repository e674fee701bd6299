package detailscreen

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
	"github.com/mltop/mltop/ui/uitest"
)

// withEvents opens the detail screen with an events provider and delivers
// the history and the events its first fetch asks for.
func withEvents(t *testing.T, theme string, w, h int, partial error) (*Model, *common.Common, *uitest.EventsProvider) {
	t.Helper()
	m, c, _ := open(t, theme, "credit-risk", w, h)
	ev := &uitest.EventsProvider{Err: partial}
	c.Events = ev
	for _, msg := range uitest.Run(m.Init()) {
		if _, ok := msg.(common.EventsMsg); ok {
			m.Update(msg)
		}
	}
	withHistory(m, c, 180)
	return m, c, ev
}

func TestGoldenEvents(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		for _, scrolled := range []bool{false, true} {
			name := fmt.Sprintf("credit-risk-events-dark-%dx%d", sz[0], sz[1])
			if scrolled {
				name = fmt.Sprintf("credit-risk-events-bottom-dark-%dx%d", sz[0], sz[1])
			}
			t.Run(name, func(t *testing.T) {
				m, _, _ := withEvents(t, "dark", sz[0], sz[1], nil)
				if scrolled {
					m.Update(uitest.Press("G"))
				}
				view := m.View()
				uitest.CheckSize(t, view, sz[0], sz[1])
				uitest.Golden(t, name, view)
			})
		}
	}
}

func TestEventsAreAskedForTheRange(t *testing.T) {
	_, c, ev := withEvents(t, "dark", 120, 40, nil)
	calls, model, from, to := ev.Asked()
	if calls != 1 || model != "credit-risk" || !to.Equal(c.Now) || to.Sub(from) != c.Range {
		t.Fatalf("asked %d times for %q over %s–%s, want once for credit-risk over the hour to now", calls, model, from, to)
	}
}

func TestEventsMarkedAndListed(t *testing.T) {
	m, c, _ := withEvents(t, "dark", 200, 50, nil)
	m.Update(uitest.Press("G"))
	v := uitest.Plain(m)
	g := c.Glyphs.Events
	// Newest first, each with its time, mark and word; the one before the
	// range was never asked for.
	order := []string{
		"02:45 " + g.Stage + " stage   v12 None → Staging",
		"02:45 " + g.Action + " action  rollout pause by alice: succeeded",
		"02:40 " + g.Alert + " alert   Evil",
		"02:31 " + g.DriftOnset + " drift   drift began on v12: income",
		"02:20 " + g.RolloutStep + " rollout rollout step 1 → 2",
		"02:12 " + g.Alias + " alias   @challenger set to v12",
		"02:10 " + g.Deploy + " deploy  v12 took traffic",
	}
	last := -1
	for _, want := range order {
		i := strings.Index(v, want)
		if i < 0 || i < last {
			t.Fatalf("list lacks %q or has it out of order:\n%s", want, v)
		}
		last = i
	}
	if strings.Contains(v, "retrain by bob") {
		t.Error("an event before the range is listed")
	}
	raw := m.View()
	if strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\x1b]0;") || strings.Contains(raw, "\x07") {
		t.Error("an event's escape codes reach the terminal")
	}
}

// The marks on the detail graphs are where graph.Column puts the events
// over the window the graphs draw.
func TestEventMarksOnDetailGraphs(t *testing.T) {
	m, c, _ := withEvents(t, "dark", 200, 50, nil)
	ax := m.timeAxis(false)
	lines := strings.Split(uitest.Plain(m), "\n")
	g := c.Glyphs.Events
	found := false
	for _, l := range lines {
		corner := strings.Index(l, g.Corner)
		if corner < 0 {
			continue
		}
		// The first panel's axis: columns start one cell after the corner.
		row := []rune(l)
		start := len([]rune(l[:corner])) + 1
		width := 0
		for i := start; i < len(row) && strings.ContainsRune(g.Axis+g.Tick+g.Deploy+g.Alias+g.Stage+g.RolloutStep+g.Action+g.DriftOnset+g.Alert+g.Several, row[i]); i++ {
			width++
		}
		for _, e := range []struct {
			at   time.Time
			mark string
		}{
			{uitest.Events("x")[1].Time, g.Deploy},
			{uitest.Events("x")[4].Time, g.DriftOnset},
			{uitest.Events("x")[5].Time, g.Alert},
		} {
			col, ok := graph.Column(ax.From, ax.To, width, e.at)
			if !ok || string(row[start+col]) != e.mark {
				t.Fatalf("event at %s: want %q at column %d of %d: %q", e.at.Format("15:04"), e.mark, col, width, l)
			}
		}
		// Two kinds within one column share the several-events mark.
		col, _ := graph.Column(ax.From, ax.To, width, uitest.Events("x")[6].Time)
		if string(row[start+col]) != g.Several {
			t.Errorf("the action and the stage change at 02:45 are not marked as several: %q", l)
		}
		found = true
		break
	}
	if !found {
		t.Fatal("no time axis drawn")
	}
}

func TestLateOrForeignEventsDropped(t *testing.T) {
	m, c, ev := withEvents(t, "dark", 200, 50, nil)
	_ = ev
	before := uitest.Plain(m)
	w := common.EventWindow{Range: c.Range, From: c.Now.Add(-c.Range), To: c.Now}
	m.Update(common.EventsMsg{Model: "payments-fraud", Window: w})
	m.Update(common.EventsMsg{Model: "credit-risk", Window: common.EventWindow{Range: 6 * time.Hour}})
	if after := uitest.Plain(m); after != before {
		t.Error("an answer for another model or another range changed the screen")
	}
	// The range changes: the old events go, the new answer is taken.
	m.Update(common.RangeMsg{Range: 6 * time.Hour})
	if v := uitest.Plain(m); strings.Contains(v, "took traffic") {
		t.Error("events of the old range still shown after a range change")
	}
}

func TestPartialEventsSayWhatIsMissing(t *testing.T) {
	m, _, _ := withEvents(t, "dark", 200, 50, errors.New("events: alerts: range query: connection refused"))
	m.Update(uitest.Press("G"))
	v := uitest.Plain(m)
	if !strings.Contains(v, "some events are missing: events: alerts: range query: connection refused") {
		t.Errorf("a failed source is not named:\n%s", v)
	}
	if !strings.Contains(v, "v12 took traffic") {
		t.Error("the other sources' events are not shown beside the error")
	}
	for _, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 200 {
			t.Errorf("line %d wide", w)
		}
	}
}

func TestNoEventsProviderNoList(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	m.Update(uitest.Press("G"))
	if v := uitest.Plain(m); strings.Contains(v, "Events") {
		t.Error("an events list without a provider")
	}
}

// Without Unicode the marks are letters and the axis plain ASCII; without
// colour they still differ by glyph.
func TestGoldenEventsASCIIAndNoColor(t *testing.T) {
	for _, theme := range []string{"ascii", "no-color"} {
		name := "credit-risk-events-" + theme + "-80x24"
		t.Run(name, func(t *testing.T) {
			th := theme
			if theme == "ascii" {
				th = "dark"
			}
			m, c, _ := withEvents(t, th, 80, 24, nil)
			if theme == "ascii" {
				c.Glyphs = themes.ASCII
				m.Update(common.ThemeChangedMsg{})
			}
			view := m.View()
			uitest.CheckSize(t, view, 80, 24)
			uitest.Golden(t, name, view)
			if theme == "ascii" {
				// The panels (graphs, axes, marks) are all ASCII.
				for _, l := range strings.Split(ansi.Strip(view), "\n") {
					if !strings.HasPrefix(l, "|") {
						continue
					}
					for _, r := range l {
						if r > 127 {
							t.Fatalf("ASCII panel draws %q: %q", r, l)
						}
					}
				}
			}
		})
	}
}

// BenchmarkHistoryWithEvents is BenchmarkHistory with the fixture's events
// marked on every graph: the cost the marks add to drawing a new window.
func BenchmarkHistoryWithEvents(b *testing.B) {
	m, c, _ := open(b, "dark", "credit-risk", 200, 50)
	c.Events = &uitest.EventsProvider{}
	m.Update(common.EventsMsg{Model: "credit-risk", Window: common.EventWindow{Range: c.Range, Events: uitest.Events("credit-risk")}})
	w := uitest.History(c.Range, 180)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(common.HistoryMsg{Model: "credit-risk", Window: w})
	}
}
