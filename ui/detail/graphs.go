package detail

import (
	"math"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/guptarohit/asciigraph"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
)

// asciigraph colours its output with 256-colour codes; the screen takes
// every colour from the theme, so the graph is drawn with these marker
// colours and each marked run is restyled afterwards.
var (
	markAxis   = asciigraph.Maroon // "\x1b[31m"
	markRef    = asciigraph.Olive  // "\x1b[33m"
	markSeries = asciigraph.Navy   // "\x1b[34m"
)

// refChars draws the offline baseline dotted, so it reads as a reference
// and not as a second measurement.
var refChars = asciigraph.CharSet{Horizontal: "┄"}

// plotKey identifies one rendered plot within a window and theme.
type plotKey struct {
	version, extra string
	role           fleet.Role
	baseline       float64 // NaN-free: hasBase says whether it is drawn
	hasBase        bool
	width, rows    int
	leftRows       int
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
	s := seriesShape{vals: vals, first: -1, last: -1}
	for i, v := range vals {
		if math.IsInf(v, 0) {
			// x/0 in PromQL; it cannot be drawn and would wreck the scale.
			vals[i], v = math.NaN(), math.NaN()
		}
		if !math.IsNaN(v) {
			if s.first < 0 {
				s.first = i
			}
			s.last = i
		}
	}
	if s.first < 0 {
		return s
	}
	prev := vals[s.first]
	for i := s.first; i <= s.last; i++ {
		if math.IsNaN(vals[i]) {
			vals[i] = prev
		}
		prev = vals[i]
	}
	return s
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

// renderPlot draws vals (and a constant reference when hasRef) into rows
// lines of width cells: y-axis labels formatted by format, an axis, and
// the plot. It returns nil when there is no room or no data.
func renderPlot(th *themes.Theme, ascii bool, vals []float64, ref float64, hasRef bool,
	format func(float64) string, zeroSpan float64, width, rows int) []string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hasRef {
		lo, hi = math.Min(lo, ref), math.Max(hi, ref)
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || rows < 2 {
		return nil
	}
	if span := hi - lo; span <= 1e-12*math.Max(1, math.Abs(hi)) {
		// A flat line: give it a span so it sits mid-graph (or at the
		// bottom of [0, zeroSpan] when it is zero).
		if hi == 0 {
			hi = zeroSpan
		} else {
			lo, hi = hi-math.Abs(hi)/2, hi+math.Abs(hi)/2
		}
	}

	labels := yLabels(format, hi, lo, rows)
	if labels[0] == labels[rows-1] {
		// The usual precision cannot tell top from bottom (0.5% … 0.5%).
		labels = yLabels(fineFormat(format), hi, lo, rows)
	}
	// A fixed minimum keeps the axes of a panel's graphs in one column.
	labelW := 6
	for _, l := range labels {
		labelW = max(labelW, lipgloss.Width(l))
	}
	plotW := width - labelW - 2 // " ┤" before the plot
	if plotW < 2 {
		return nil
	}

	// Shifting the data to start at zero makes asciigraph's row count
	// exactly Height+1, so the graph fills its rows without a remainder.
	shift := func(in []float64) []float64 {
		out := make([]float64, len(in))
		for i, v := range in {
			out[i] = v - lo
		}
		return out
	}
	data := [][]float64{}
	colors := []asciigraph.AnsiColor{}
	chars := []asciigraph.CharSet{}
	if hasRef {
		r := make([]float64, len(vals))
		for i := range r {
			r[i] = ref
		}
		data = append(data, shift(r))
		colors = append(colors, markRef)
		chars = append(chars, refChars)
	}
	data = append(data, shift(vals))
	colors = append(colors, markSeries)
	chars = append(chars, asciigraph.DefaultCharSet)
	out := asciigraph.PlotMany(data,
		asciigraph.Height(rows-1), asciigraph.Width(plotW+1), asciigraph.Offset(2),
		asciigraph.LowerBound(0), asciigraph.UpperBound(hi-lo),
		asciigraph.AxisColor(markAxis), asciigraph.SeriesColors(colors...), asciigraph.SeriesChars(chars...),
		asciigraph.YAxisValueFormatter(func(float64) string { return "" }))

	raw := strings.Split(out, "\n")
	lines := make([]string, rows)
	for i := range lines {
		body := ""
		if i < len(raw) {
			body = restyle(th, ascii, raw[i])
		}
		lab := labels[i]
		lines[i] = strings.Repeat(" ", labelW-lipgloss.Width(lab)) + th.Subtle.Render(lab) + fit(body, plotW+2)
	}
	return lines
}

// yLabels label the top and bottom rows, and the middle one of tall graphs.
func yLabels(format func(float64) string, hi, lo float64, rows int) []string {
	labels := make([]string, rows)
	labels[0], labels[rows-1] = format(hi), format(lo)
	if rows >= 5 {
		mid := (rows - 1) / 2
		labels[mid] = format(hi - float64(mid)*(hi-lo)/float64(rows-1))
	}
	return labels
}

// fineFormat is one more digit of the same unit, for graphs whose whole
// span fits inside the usual precision.
func fineFormat(format func(float64) string) func(float64) string {
	return func(v float64) string {
		switch format(1) {
		case human.Percent(1):
			return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
		case human.Seconds(1):
			if math.Abs(v) < 1 {
				return strconv.FormatFloat(v*1000, 'f', 1, 64) + "ms"
			}
			return strconv.FormatFloat(v, 'f', 3, 64) + "s"
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

// restyle replaces asciigraph's marker colours with the theme's styles.
func restyle(th *themes.Theme, ascii bool, line string) string {
	var b strings.Builder
	style := lipgloss.Style{}
	plain := true
	flush := func(text string) {
		if text == "" {
			return
		}
		if ascii {
			text = asciiGraph.Replace(text)
		}
		if plain {
			b.WriteString(text)
			return
		}
		b.WriteString(style.Render(text))
	}
	for {
		i := strings.Index(line, "\x1b[")
		if i < 0 {
			flush(line)
			break
		}
		flush(line[:i])
		j := strings.IndexByte(line[i:], 'm')
		if j < 0 {
			break
		}
		code := line[i+2 : i+j]
		line = line[i+j+1:]
		plain = false
		switch code {
		case "31":
			style = th.Subtle
		case "33":
			style = th.Reference
		case "34":
			style = th.Graph1
		default:
			plain = true
		}
	}
	return b.String()
}

// asciiGraph maps asciigraph's box drawing to ASCII for the ASCII glyph set.
var asciiGraph = strings.NewReplacer(
	"─", "-", "┄", ".", "│", "|", "╭", ".", "╮", ".", "╰", "'", "╯", "'",
	"╴", "-", "╶", "-", "┤", "|", "┼", "+",
)
