package graph

import (
	"math"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/themes"
)

// Mark is an event drawn on a graph's time axis.
type Mark struct {
	Time time.Time
	Kind fleet.EventKind
}

// TimeAxis is the time under a plot: the range its columns span, the
// events to mark on it, and whether a row of times names its ticks.
type TimeAxis struct {
	// From and To are the times of the plot's first and last columns.
	From, To time.Time
	// Loc is the zone the times are named in; nil: UTC.
	Loc   *time.Location
	Marks []Mark
	Times bool
}

// WindowAxis is the time axis of a graph of w's values (Window.Values)
// with events marked; nil before w has a range to draw.
func WindowAxis(w history.Window, events []fleet.Event, loc *time.Location, times bool) *TimeAxis {
	if w.Step <= 0 || w.End.IsZero() {
		return nil
	}
	// The first value is the first step after the range's start.
	ax := &TimeAxis{From: w.End.Add(-w.Range + w.Step), To: w.End, Loc: loc, Times: times}
	for _, e := range events {
		ax.Marks = append(ax.Marks, Mark{Time: e.Time, Kind: e.Kind})
	}
	return ax
}

// Column is the column, of a plot width columns wide spanning [from, to],
// that time t falls on; false when t is outside the plot (more than half a
// column before its first column or after its last).
func Column(from, to time.Time, width int, t time.Time) (int, bool) {
	span := to.Sub(from)
	if width < 1 || span <= 0 {
		return 0, false
	}
	if width == 1 {
		return 0, !t.Before(from) && !t.After(to)
	}
	x := float64(t.Sub(from)) / float64(span) * float64(width-1)
	col := int(math.Round(x))
	if col < 0 || col > width-1 {
		return 0, false
	}
	return col, true
}

// eventGlyphs is the theme's marks for the glyph set.
func eventGlyphs(ascii bool) themes.EventGlyphs {
	if ascii {
		return themes.ASCII.Events
	}
	return themes.Unicode.Events
}

// AxisRows are the rows under a plot whose columns start after indent
// cells and are width wide: the axis with the events marked, and with
// Times the row of times under its ticks. Each row is exactly
// indent+2+width cells.
func AxisRows(th *themes.Theme, ascii bool, ax TimeAxis, indent, width int) []string {
	if width < 1 {
		return nil
	}
	g := eventGlyphs(ascii)
	loc := ax.Loc
	if loc == nil {
		loc = time.UTC
	}
	ticks := tickTimes(ax.From, ax.To, width, loc)

	cells := make([]string, width)
	for i := range cells {
		cells[i] = g.Axis
	}
	for _, t := range ticks.at {
		if c, ok := Column(ax.From, ax.To, width, t); ok {
			cells[c] = g.Tick
		}
	}
	at := markColumns(ax.Marks, width, func(t time.Time) (int, bool) { return Column(ax.From, ax.To, width, t) })
	var axis strings.Builder
	axis.WriteString(strings.Repeat(" ", indent+1))
	axis.WriteString(th.Subtle.Render(g.Corner))
	// Runs between marks are styled at once: one escape sequence each.
	var run strings.Builder
	for i := range cells {
		k, marked := at[i]
		if !marked {
			run.WriteString(cells[i])
			continue
		}
		axis.WriteString(th.Subtle.Render(run.String()))
		run.Reset()
		axis.WriteString(markGlyph(th, g, k))
	}
	axis.WriteString(th.Subtle.Render(run.String()))
	out := []string{axis.String()}
	if ax.Times {
		out = append(out, strings.Repeat(" ", indent+2)+th.Subtle.Render(timesRow(ax, ticks, width, loc)))
	}
	return out
}

// markColumns is the kind marked at each column that has events: the
// events' own kind, or "" where events of several kinds share a column.
func markColumns(marks []Mark, width int, column func(time.Time) (int, bool)) map[int]fleet.EventKind {
	at := map[int]fleet.EventKind{}
	for _, m := range marks {
		c, ok := column(m.Time)
		if !ok || c < 0 || c >= width {
			continue
		}
		if k, seen := at[c]; seen && k != m.Kind {
			at[c] = ""
		} else if !seen {
			at[c] = m.Kind
		}
	}
	return at
}

// markGlyph is a column's mark in its kind's style; "" is several kinds.
func markGlyph(th *themes.Theme, g themes.EventGlyphs, k fleet.EventKind) string {
	if k == "" {
		return th.Bold.Render(g.Several)
	}
	return th.EventStyle(k).Render(g.Of(k))
}

// MarkRow is a row of width cells with the marks at the columns column
// gives them, blank elsewhere: for time grids other than a plot, such as
// a heatmap, whose columns do not span time linearly.
func MarkRow(th *themes.Theme, ascii bool, marks []Mark, width int, column func(time.Time) (int, bool)) string {
	g := eventGlyphs(ascii)
	at := markColumns(marks, width, column)
	var b strings.Builder
	blank := 0
	for i := range width {
		k, marked := at[i]
		if !marked {
			blank++
			continue
		}
		b.WriteString(strings.Repeat(" ", blank))
		blank = 0
		b.WriteString(markGlyph(th, g, k))
	}
	b.WriteString(strings.Repeat(" ", blank))
	return b.String()
}

// ticks are the times the axis names, and how to write them.
type ticks struct {
	at     []time.Time
	layout string
}

// tickIntervals are the spacings ticks may take, finest first.
var tickIntervals = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// tickTimes are round times within [from, to] at the finest spacing whose
// names fit side by side (with a gap) in width cells.
func tickTimes(from, to time.Time, width int, loc *time.Location) ticks {
	if !to.After(from) {
		return ticks{}
	}
	for _, iv := range tickIntervals {
		layout := "15:04"
		if iv >= 24*time.Hour {
			layout = "Jan 2"
		}
		n := int(to.Sub(from)/iv) + 1
		if n*(len(layout)+2) > width && iv != tickIntervals[len(tickIntervals)-1] {
			continue
		}
		// Round in the zone shown, so hours and days start where the
		// reader's clock says they do.
		l := from.In(loc)
		t := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		if iv >= 24*time.Hour {
			for t.Before(from) {
				t = t.AddDate(0, 0, int(iv/(24*time.Hour)))
			}
		} else {
			t = t.Add((from.Sub(t) + iv - 1) / iv * iv)
		}
		var at []time.Time
		for ; !t.After(to); t = t.Add(iv) {
			at = append(at, t)
		}
		return ticks{at: at, layout: layout}
	}
	return ticks{}
}

// timesRow names each tick under its column, centred where it fits; a
// name that would overlap the one before is left out.
func timesRow(ax TimeAxis, tk ticks, width int, loc *time.Location) string {
	row := []rune(strings.Repeat(" ", width))
	next := 0 // first free cell
	for _, t := range tk.at {
		c, ok := Column(ax.From, ax.To, width, t)
		if !ok {
			continue
		}
		name := []rune(t.In(loc).Format(tk.layout))
		start := min(max(c-len(name)/2, 0), width-len(name))
		if start < next || start < 0 {
			continue
		}
		copy(row[start:], name)
		next = start + len(name) + 1
	}
	return string(row)
}
