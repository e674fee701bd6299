package detailscreen

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/graph"
)

// plotKey identifies one rendered plot within a window and theme.
type plotKey struct {
	version, extra string
	role           fleet.Role
	baseline       float64 // NaN-free: hasBase says whether it is drawn
	hasBase        bool
	estimate       string
	width, rows    int
	leftRows       int
	times          bool // the row of times under the axis
}

// plot is a rendered graph and what the left column says about its data.
type plot struct {
	lines        []string // exactly rows lines of exactly width cells; nil without data
	rows         int
	since, until time.Time // zero when data covers the start / end of the range
}

// plotCacheKey says which window and style the cached plots were drawn for.
type plotCacheKey struct {
	serial int
	theme  *themes.Theme
	ascii  bool
}

type plotCache struct {
	key   plotCacheKey
	plots map[plotKey]plot
}

// plotLookup serves plots to one build: from the cache when they are still
// valid, drawn otherwise; when keep is set it collects what the build used,
// which becomes the new cache.
type plotLookup struct {
	cached map[plotKey]plot
	keep   map[plotKey]plot
}

func (l *plotLookup) get(k plotKey, draw func() plot) plot {
	p, ok := l.cached[k]
	if !ok {
		p = draw()
	}
	if l.keep != nil {
		l.keep[k] = p
	}
	return p
}

// seriesShape is where the data in a series starts and ends, and its values
// with interior gaps carried over (leading and trailing gaps stay NaN: a
// value is never invented before the first sample or after the last).
type seriesShape struct {
	vals        []float64
	first, last int // -1 when the series is empty
}

func shapeOf(vals []float64) seriesShape {
	first, last := graph.FillGaps(vals)
	return seriesShape{vals: vals, first: first, last: last}
}

// gapTimes turns the shape's edges into clock times for "since"/"until";
// a missing newest step is normal (the newest sample may not be in yet).
func gapTimes(w history.Window, s seriesShape) (since, until time.Time) {
	start := w.End.Add(-w.Range)
	if s.first > 0 {
		since = start.Add(time.Duration(s.first+1) * w.Step)
	}
	if n := len(s.vals); s.last >= 0 && s.last < n-2 {
		until = start.Add(time.Duration(s.last+1) * w.Step)
	}
	return since, until
}
