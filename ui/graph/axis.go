package graph

import (
	"math"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
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
	styled := make([]bool, width)
	for i := range cells {
		cells[i] = g.Axis
	}
	for _, t := range ticks.at {
		if c, ok := Column(ax.From, ax.To, width, t); ok {
			cells[c] = g.Tick
		}
	}
	kinds := make([]fleet.EventKind, width)
	for _, m := range ax.Marks {
		c, ok := Column(ax.From, ax.To, width, m.Time)
		if !ok {
			continue
		}
		if styled[c] && kinds[c] != m.Kind {
			kinds[c] = ""
		} else if !styled[c] {
			kinds[c] = m.Kind
		}
		styled[c] = true
	}
	var axis strings.Builder
	axis.WriteString(strings.Repeat(" ", indent+1))
	axis.WriteString(th.Subtle.Render(g.Corner))
	run := ""
	for i := range cells {
		if !styled[i] {
			run += cells[i]
			continue
		}
		axis.WriteString(th.Subtle.Render(run))
		run = ""
		if kinds[i] == "" {
			axis.WriteString(th.Bold.Render(g.Several))
		} else {
			axis.WriteString(th.EventStyle(kinds[i]).Render(g.Of(kinds[i])))
		}
	}
	axis.WriteString(th.Subtle.Render(run))
	out := []string{axis.String()}
	if ax.Times {
		out = append(out, strings.Repeat(" ", indent+2)+th.Subtle.Render(timesRow(ax, ticks, width, loc)))
	}
	return out
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
