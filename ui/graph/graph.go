// Package graph draws line graphs with asciigraph in the theme's styles:
// y-axis labels, an axis and series overlaid on one scale, every line
// exactly the width asked for, and the legend glyphs that match the lines.
package graph

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// Line is how a series is drawn.
type Line int

const (
	// Primary is a measurement, or version A of a pair: solid, Graph1.
	Primary Line = iota
	// Secondary is version B of a pair: solid, Graph2.
	Secondary
	// Reference is a baseline, such as offline quality: dotted, so it reads
	// as a reference and not as a second measurement.
	Reference
)

// asciigraph colours its output with 256-colour codes; every colour here
// comes from the theme, so lines are drawn in these marker colours and each
// marked run is restyled afterwards (see restyle).
var (
	markAxis = asciigraph.Maroon // "\x1b[31m"
	marks    = [...]asciigraph.AnsiColor{
		Primary:   asciigraph.Navy,  // "\x1b[34m"
		Secondary: asciigraph.Green, // "\x1b[32m"
		Reference: asciigraph.Olive, // "\x1b[33m"
	}
)

// chars are the glyphs a line is drawn with. Without colours the two
// measurements of a pair could not be told apart, so Secondary is drawn
// with double lines there.
func (l Line) chars(noColor bool) asciigraph.CharSet {
	switch {
	case l == Reference:
		return asciigraph.CharSet{Horizontal: "┄"}
	case l == Secondary && noColor:
		return secondaryPlain
	}
	return asciigraph.DefaultCharSet
}

// secondaryPlain is Secondary without colours: double lines.
var secondaryPlain = asciigraph.CharSet{
	Horizontal: "═", VerticalLine: "║", ArcDownRight: "╔", ArcDownLeft: "╗",
	ArcUpRight: "╚", ArcUpLeft: "╝", EndCap: "═", StartCap: "═",
}

// Glyph is the line as a legend shows it: what the graph draws it with
// in theme th.
func (l Line) Glyph(th *themes.Theme, ascii bool) string {
	g := l.chars(th.NoColor).Horizontal
	if ascii {
		g = asciiGraph.Replace(g)
	}
	return g
}

// Series is one line of a graph; gaps are NaN.
type Series struct {
	Values []float64
	Line   Line
}

// Constant is a level line of n points, such as a baseline.
func Constant(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// Options are how a graph scales and labels its values.
type Options struct {
	Format func(float64) string // y-axis labels, in the series' unit
	// ZeroSpan is the top of the scale when every value is zero, so a flat
	// zero sits at the bottom of a scale in the series' unit.
	ZeroSpan float64
	// MinPlotWidth is the fewest plot columns worth drawing; fewer: no graph.
	MinPlotWidth int
	// DistinctMiddle also switches to finer labels when the middle label
	// reads the same as the top one, not only the bottom one.
	DistinctMiddle bool
	// Axis, when set, adds the time axis under the plot: one row with the
	// events marked, and one more naming times when Axis.Times is set.
	Axis *TimeAxis
}

// Plot draws series of equal length on one scale into rows lines of width
// cells: y-axis labels, an axis, and the lines, then opt.Axis's rows when
// set. It returns nil when there is no data or no room.
func Plot(th *themes.Theme, ascii bool, series []Series, opt Options, width, rows int) []string {
	if len(series) == 0 || rows < 2 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if len(s.Values) == 0 || len(s.Values) != len(series[0].Values) {
			return nil
		}
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	if span := hi - lo; span <= 1e-12*math.Max(1, math.Abs(hi)) {
		// A flat line: give it a span so it sits on the middle row (or at
		// the bottom of [0, ZeroSpan] when it is zero). The span is cut
		// at the rows, not centred on the value: with an even number of
		// rows the centre falls between two, and the line would be drawn
		// on a row whose label reads another value.
		if hi == 0 {
			hi = opt.ZeroSpan
		} else {
			v, mid := hi, (rows-1)/2
			step := math.Abs(v) / float64(rows-1)
			lo, hi = v-float64(rows-1-mid)*step, v+float64(mid)*step
		}
	}

	labels := yLabels(opt.Format, hi, lo, rows)
	if labels[0] == labels[rows-1] || opt.DistinctMiddle && rows >= 5 && labels[0] == labels[(rows-1)/2] {
		// The usual precision cannot tell the rows apart (0.5% … 0.5%).
		labels = yLabels(fineFormat(opt.Format), hi, lo, rows)
	}
	// A fixed minimum keeps the axes of graphs drawn together in one column.
	labelW := 6
	for _, l := range labels {
		labelW = max(labelW, ansi.StringWidth(l))
	}
	plotW := width - labelW - 2 // " ┤" before the plot
	if plotW < opt.MinPlotWidth {
		return nil
	}

	// Shifting the data to start at zero makes asciigraph's row count
	// exactly Height+1, so the graph fills its rows without a remainder.
	data := make([][]float64, len(series))
	colors := make([]asciigraph.AnsiColor, len(series))
	chars := make([]asciigraph.CharSet, len(series))
	for i, s := range series {
		data[i] = make([]float64, len(s.Values))
		for j, v := range s.Values {
			data[i][j] = v - lo
		}
		colors[i], chars[i] = marks[s.Line], s.Line.chars(th.NoColor)
	}
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
		lines[i] = strings.Repeat(" ", labelW-ansi.StringWidth(labels[i])) + th.Subtle.Render(labels[i]) + common.Fit(body, plotW+2)
	}
	if opt.Axis != nil {
		lines = append(lines, AxisRows(th, ascii, *opt.Axis, labelW, plotW)...)
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
	plain := func(text ...string) string { return strings.Join(text, "") }
	render := plain
	flush := func(text string) {
		if text == "" {
			return
		}
		if ascii {
			text = asciiGraph.Replace(text)
		}
		b.WriteString(render(text))
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
		switch code {
		case "31": // markAxis
			render = th.Subtle.Render
		case "34": // Primary
			render = th.Graph1.Render
		case "32": // Secondary
			render = th.Graph2.Render
		case "33": // Reference
			render = th.Reference.Render
		default:
			render = plain
		}
	}
	return b.String()
}

// asciiGraph maps asciigraph's box drawing to ASCII for the ASCII glyph set.
var asciiGraph = strings.NewReplacer(
	"─", "-", "┄", ".", "│", "|", "╭", ".", "╮", ".", "╰", "'", "╯", "'",
	"╴", "-", "╶", "-", "┤", "|", "┼", "+",
	"═", "=", "║", "#", "╔", "#", "╗", "#", "╚", "#", "╝", "#",
)

// FillGaps carries interior gaps over so a missed scrape does not break a
// line, and turns infinities (x/0 in PromQL, which cannot be drawn and
// would wreck the scale) into gaps. Leading and trailing gaps stay: no
// value is invented before the first sample or after the last. It returns
// where the data starts and ends, -1 when there is none.
func FillGaps(vals []float64) (first, last int) {
	first, last = -1, -1
	for i, v := range vals {
		if math.IsInf(v, 0) {
			vals[i], v = math.NaN(), math.NaN()
		}
		if !math.IsNaN(v) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i := first + 1; first >= 0 && i <= last; i++ {
		if math.IsNaN(vals[i]) {
			vals[i] = vals[i-1]
		}
	}
	return first, last
}
