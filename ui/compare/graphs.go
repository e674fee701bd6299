package compare

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
)

// asciigraph colours with 256-colour codes; every colour here comes from the
// theme, so series are drawn with marker colours and restyled afterwards.
var (
	markAxis = asciigraph.Maroon // "\x1b[31m"
	markA    = asciigraph.Navy   // "\x1b[34m"
	markB    = asciigraph.Green  // "\x1b[32m"
)

// graphSpec is one overlaid graph: a role (and its extra label) for both versions.
type graphSpec struct {
	title  string
	role   fleet.Role
	extra  string
	format func(float64) string
}

// graphSpecs are the graphs under the table: traffic, latency, errors and
// the headline quality metric.
func graphSpecs(a, b *fleet.Version) []graphSpec {
	specs := []graphSpec{{title: "request rate", role: fleet.RoleRequestRate, format: human.Rate}}
	if known(a.Latency.P95) || known(b.Latency.P95) || !known(a.Latency.Mean) && !known(b.Latency.Mean) {
		specs = append(specs, graphSpec{title: "latency p95", role: fleet.RoleLatencyP95, format: human.Seconds})
	} else {
		specs = append(specs, graphSpec{title: "latency (mean)", role: fleet.RoleLatencyMean, format: human.Seconds})
	}
	specs = append(specs, graphSpec{title: "error ratio", role: fleet.RoleErrorRatio, format: human.Percent})
	metric, _, _ := a.PrimaryMetric()
	if metric == "" {
		metric, _, _ = b.PrimaryMetric()
	}
	if metric != "" {
		specs = append(specs, graphSpec{title: human.Clean(metric) + " (live)", role: fleet.RolePerformance, extra: metric, format: human.Score})
	}
	return specs
}

// graphBlock draws one graph: a title line with the legend, then rows
// lines of plot, every line exactly width cells.
func graphBlock(th *themes.Theme, ascii bool, spec graphSpec, win history.Window, model, verA, verB string, width, rows int) []string {
	va := fill(win.Values(history.Key{Role: spec.role, Model: model, Version: verA, Extra: spec.extra}))
	vb := fill(win.Values(history.Key{Role: spec.role, Model: model, Version: verB, Extra: spec.extra}))
	line := "─"
	if ascii {
		line = "-"
	}
	legend := func(style func(...string) string, ver string, vals []float64) string {
		s := versionLabel(ver) + " " + style(line)
		if !hasData(vals) {
			s += th.Muted.Render(" no data")
		}
		return s
	}
	title := th.Header.Render(spec.title) + "  " + legend(th.Graph1.Render, verA, va) + "  " + legend(th.Graph2.Render, verB, vb)
	out := []string{pad(title, width)}
	plot := renderPlot(th, ascii, va, vb, spec.format, width, rows)
	if plot == nil {
		return append(out, pad("  "+th.Muted.Render("no data in this range"), width))
	}
	return append(out, plot...)
}

func hasData(vals []float64) bool {
	for _, v := range vals {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// fill carries interior gaps over so a missed scrape does not break the
// line; leading and trailing gaps stay empty: no value is invented before
// the first sample or after the last. Infinities (x/0) are gaps.
func fill(vals []float64) []float64 {
	first, last := -1, -1
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
	return vals
}

// renderPlot draws both series on one scale into rows lines of width
// cells: y labels, an axis, A in Graph1 and B in Graph2. nil when there is
// no data or no room.
func renderPlot(th *themes.Theme, ascii bool, a, b []float64, format func(float64) string, width, rows int) []string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range [][]float64{a, b} {
		for _, v := range s {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) || rows < 2 || len(a) == 0 || len(a) != len(b) {
		return nil
	}
	if hi-lo <= 1e-12*math.Max(1, math.Abs(hi)) {
		// Flat: give the line a span so it sits mid-graph.
		if hi == 0 {
			hi = 1e-9
		} else {
			lo, hi = hi-math.Abs(hi)/2, hi+math.Abs(hi)/2
		}
	}
	labels := yLabels(format, hi, lo, rows)
	if labels[0] == labels[rows-1] || labels[0] == labels[(rows-1)/2] && rows >= 5 {
		// The usual precision cannot tell the rows apart (0.5% … 0.5%).
		labels = yLabels(fine(format), hi, lo, rows)
	}
	labelW := 6
	for _, l := range labels {
		labelW = max(labelW, ansi.StringWidth(l))
	}
	plotW := width - labelW - 2
	if plotW < 4 {
		return nil
	}
	shift := func(in []float64) []float64 {
		out := make([]float64, len(in))
		for i, v := range in {
			out[i] = v - lo
		}
		return out
	}
	raw := asciigraph.PlotMany([][]float64{shift(a), shift(b)},
		asciigraph.Height(rows-1), asciigraph.Width(plotW+1), asciigraph.Offset(2),
		asciigraph.LowerBound(0), asciigraph.UpperBound(hi-lo),
		asciigraph.AxisColor(markAxis), asciigraph.SeriesColors(markA, markB),
		asciigraph.YAxisValueFormatter(func(float64) string { return "" }))
	lines := strings.Split(raw, "\n")
	out := make([]string, rows)
	for i := range out {
		body := ""
		if i < len(lines) {
			body = restyle(th, ascii, lines[i])
		}
		out[i] = strings.Repeat(" ", labelW-ansi.StringWidth(labels[i])) + th.Subtle.Render(labels[i]) + pad(body, plotW+2)
	}
	return out
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

// fine is one more digit of the same unit, for graphs whose whole span
// fits inside the usual precision.
func fine(format func(float64) string) func(float64) string {
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
		case "31":
			render = th.Subtle.Render
		case "34":
			render = th.Graph1.Render
		case "32":
			render = th.Graph2.Render
		default:
			render = plain
		}
	}
	return b.String()
}

// asciiGraph maps asciigraph's box drawing to ASCII for the ASCII glyph set.
var asciiGraph = strings.NewReplacer(
	"─", "-", "│", "|", "╭", ".", "╮", ".", "╰", "'", "╯", "'",
	"╴", "-", "╶", "-", "┤", "|", "┼", "+",
)
