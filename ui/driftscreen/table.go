package driftscreen

import (
	"math"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// painter draws rows, bars and sparklines in the current theme.
type painter struct {
	th    *themes.Theme
	g     themes.Glyphs
	ascii bool
	stale bool // the drift values are old: dim them
	rng   time.Duration
}

// eighths are the partial blocks that end a bar, from 1/8 to 7/8.
var eighths = []string{"▏", "▎", "▍", "▌", "▋", "▊", "▉"}

func methodName(method string, short bool) string {
	if method == "" {
		return "—"
	}
	if short {
		return drift.ShortName(method)
	}
	return method
}

// pvalueText writes a p-value with the precision a verdict needs.
func pvalueText(p float64) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case p < 0.001:
		return "<.001"
	case p < 0.01:
		return strings.TrimPrefix(strconv.FormatFloat(p, 'f', 3, 64), "0")
	}
	return human.Score(p)
}

// scoreText is a score as its method reads: p-values with their precision.
func scoreText(r row) string {
	if !r.known {
		return "—"
	}
	if drift.IsPValue(r.method) {
		return pvalueText(r.score)
	}
	return human.Score(r.score)
}

// thresholdText says the drift condition: ≥.10 for distances, <.05 for p-values.
func thresholdText(r row) string {
	if !r.thrKnown {
		return "—"
	}
	if drift.IsPValue(r.method) {
		return "<" + human.Score(r.threshold)
	}
	return "≥" + human.Score(r.threshold)
}

// sourceName says where a row's score comes from: an exporter's drift
// score, or mltop's own from histograms.
func sourceName(source string, short bool) string {
	switch {
	case source == "":
		return "—"
	case !short:
		return source
	case source == fleet.DriftExported:
		return "exp"
	case source == fleet.DriftComputed:
		return "cmp"
	}
	return source
}

// tooFewText is "412 < 600": the observations of the window that fell
// short against the minimum.
func tooFewText(r row) string {
	return count(r.observed) + " < " + count(r.least)
}

func count(n float64) string { return strconv.FormatFloat(math.Round(n), 'f', 0, 64) }

// tooFewNote explains a row without a verdict for too few observations.
func tooFewNote(r row) string {
	s := r.name + " " + r.method + ": too few observations (" + tooFewText(r) + ")"
	if r.observedIn == "reference" {
		s += " in the reference"
	}
	return s + "; on so few a distance measures noise (drift.min_per_bucket)"
}

// verdict is the row's verdict as icon, word and style.
func (p painter) verdict(r row) string {
	switch {
	case r.silent():
		return p.style(p.th.Bad).Render(p.g.Bad + " silent")
	case r.tooFew():
		return p.th.Muted.Render("— too few")
	case !r.known:
		return p.th.Muted.Render("— no data")
	case r.drifted:
		return p.style(p.th.Warn).Render(p.g.Warn + " drift")
	}
	return p.style(p.th.OK).Render(p.g.OK + " ok")
}

// style is s, or the stale style when the values are old.
func (p painter) style(s lipgloss.Style) lipgloss.Style {
	if p.stale {
		return p.th.Stale
	}
	return s
}

// tableHeader names the columns; the bar's header is its scale.
func (p painter) tableHeader(l layout) string {
	h := p.th.Header
	sep := strings.Repeat(" ", l.gap)
	method := "METHOD"
	if l.short {
		method = "TEST"
	}
	source := "SOURCE"
	if l.short {
		source = "SRC"
	}
	cols := []string{common.Fit("FEATURE", l.feature), p.barScaleLabel(l.bar), fitRight("SCORE", scoreW), common.Fit(method, l.method),
		common.Fit(source, l.source)}
	if l.pvalue > 0 {
		cols = append(cols, fitRight("P", l.pvalue))
	}
	cols = append(cols, fitRight("THR", threshW), common.Fit("VERDICT", verdictW))
	cols = append(cols, p.dqHeader(l)...)
	if l.trend > 0 {
		cols = append(cols, common.Fit("TREND "+common.RangeText(p.rng), l.trend))
	}
	return " " + h.Render(strings.Join(cols, sep))
}

// barScaleLabel puts "thr" over the bars' threshold tick and "3×" at their end.
func (p painter) barScaleLabel(w int) string {
	cells := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		for i, r := range []rune(s) {
			if at+i >= 0 && at+i < w {
				cells[at+i] = r
			}
		}
	}
	put(0, "0")
	put(tickPos(w), "thr")
	put(w-2, "3×")
	return string(cells)
}

// tickPos is the bar cell that marks the threshold.
func tickPos(w int) int {
	return min(max(int(math.Round(float64(w)/barScale)), 1), max(w-1, 0))
}

// tableRow is one feature's line.
func (p painter) tableRow(r row, l layout) string {
	sep := strings.Repeat(" ", l.gap)
	name := p.th.Text.Render(common.Fit(r.name, l.feature))
	if r.prediction {
		name = p.th.Bold.Render(common.Fit(r.name, l.feature))
	}
	cols := []string{name, p.bar(r, l.bar),
		p.style(p.th.Text).Render(fitRight(scoreText(r), scoreW)),
		p.th.Muted.Render(common.Fit(methodName(r.method, l.short), l.method)),
		p.th.Muted.Render(common.Fit(sourceName(r.source, l.short), l.source))}
	if l.pvalue > 0 {
		pv := ""
		if r.pvalue != nil {
			pv = pvalueText(*r.pvalue)
		}
		cols = append(cols, p.style(p.th.Text).Render(fitRight(pv, l.pvalue)))
	}
	cols = append(cols, p.th.Muted.Render(fitRight(thresholdText(r), threshW)), common.Fit(p.verdict(r), verdictW))
	cols = append(cols, p.dqCells(r, l)...)
	if l.trend > 0 {
		cols = append(cols, fitRight(p.spark(r.history, l.trend), l.trend))
	}
	return " " + strings.Join(cols, sep)
}

// bar fills to the score (scaled so the threshold is 1) with a tick at the
// threshold; the tick and the fill read without colour.
func (p painter) bar(r row, w int) string {
	if w <= 0 {
		return ""
	}
	if r.tooFew() {
		return p.th.Muted.Render(common.Fit(tooFewText(r), w))
	}
	if !r.known {
		// An empty bar would read as a score of zero.
		return strings.Repeat(" ", w)
	}
	fill := 0.0
	if r.known && r.thrKnown && !math.IsNaN(r.severity) {
		fill = math.Min(math.Max(r.severity, 0), barScale) / barScale * float64(w)
	}
	fillStyle := p.style(p.th.OK)
	if r.drifted {
		fillStyle = p.style(p.th.Warn)
	}
	tick, full, empty := "│", p.g.BarFull, p.g.BarEmpty
	if p.ascii {
		tick = "|"
	}
	var b strings.Builder
	kind, run := -1, ""
	flush := func() {
		switch kind {
		case 0:
			b.WriteString(fillStyle.Render(run))
		case 1:
			b.WriteString(p.th.Muted.Render(run))
		case 2:
			b.WriteString(p.th.Bold.Render(run))
		}
		run = ""
	}
	add := func(k int, s string) {
		if k != kind {
			flush()
			kind = k
		}
		run += s
	}
	t := tickPos(w)
	for i := range w {
		cover := fill - float64(i)
		switch {
		case i == t && r.thrKnown:
			add(2, tick)
		case cover >= 1:
			add(0, full)
		case cover > 0 && !p.ascii && int(cover*8) > 0:
			add(0, eighths[int(cover*8)-1])
		default:
			add(1, empty)
		}
	}
	flush()
	return b.String()
}

// sparkTop is the highest severity a sparkline tells apart: beyond four
// times the threshold the shape no longer matters, only that it is high.
const sparkTop = 4.0

// spark draws severities over the range, at most width glyphs, newest
// last: height is the score against the threshold, glyphs at or over the
// threshold in the warning style. Gaps (no data) stay blank.
func (p painter) spark(sev []float64, width int) string {
	if len(sev) == 0 || width <= 0 {
		return ""
	}
	vals := bucketMax(sev, width)
	top := 2.0
	for _, v := range vals {
		if !math.IsNaN(v) {
			top = math.Max(top, math.Min(v, sparkTop))
		}
	}
	levels := p.g.Spark
	var b strings.Builder
	for _, v := range vals {
		if math.IsNaN(v) {
			b.WriteByte(' ')
			continue
		}
		i := int(math.Round(math.Min(v, top) / top * float64(len(levels)-1)))
		i = min(max(i, 0), len(levels)-1)
		st := p.th.Graph1
		if v >= 1 {
			st = p.th.Warn
		}
		b.WriteString(p.style(st).Render(levels[i]))
	}
	return b.String()
}

// bucketMax shrinks values to at most width buckets, keeping each
// bucket's worst value: a short burst of drift must not be averaged away.
func bucketMax(values []float64, width int) []float64 {
	if len(values) <= width {
		return values
	}
	out := make([]float64, width)
	for i := range out {
		from, to := i*len(values)/width, (i+1)*len(values)/width
		out[i] = math.NaN()
		for _, v := range values[from:max(to, from+1)] {
			if !math.IsNaN(v) && (math.IsNaN(out[i]) || v > out[i]) {
				out[i] = v
			}
		}
	}
	return out
}
