package driftscreen

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
)

// Shades of the heatmap, calm to worst: glyph and colour both say it.
var (
	heatUnicode = [5]string{"·", "░", "▒", "▓", "█"}
	heatASCII   = [5]string{".", "-", "+", "*", "#"}
)

// heatLevel is a cell's shade from its value, the score ÷ threshold (for
// p-value methods drift.Severity's threshold ÷ p): 0 under half the
// threshold, 1 under it, 2 from the threshold up to twice it, 3 up to three
// times, 4 beyond. -1 is no data.
func heatLevel(v float64) int {
	// Scores are decimals divided by decimals (.3 ÷ .1 = 2.9999999999999996):
	// a hair of tolerance keeps "three times the threshold" at level 4.
	// At 1 no tolerance: drift.Severity is at least 1 exactly when the
	// score drifted.
	t := v * (1 + 1e-9)
	switch {
	case math.IsNaN(v):
		return -1
	case t < 0.5:
		return 0
	case v < 1:
		return 1
	case t < 2:
		return 2
	case t < 3:
		return 3
	}
	return 4
}

// heatCells maps a series onto width columns: several steps per column
// keep their worst, fewer steps than columns are stretched.
func heatCells(sev []float64, width int) []float64 {
	if len(sev) == 0 || width <= 0 {
		return nil
	}
	if len(sev) >= width {
		return bucketMax(sev, width)
	}
	out := make([]float64, width)
	for c := range out {
		out[c] = sev[c*len(sev)/width]
	}
	return out
}

func (p painter) heatGlyphs() [5]string {
	if p.ascii {
		return heatASCII
	}
	return heatUnicode
}

// heatRow draws one feature's cells, runs of one shade styled together.
func (p painter) heatRow(sev []float64, width int) string {
	glyphs := p.heatGlyphs()
	var b strings.Builder
	level, run := -2, 0
	flush := func() {
		switch {
		case run == 0:
		case level < 0:
			b.WriteString(strings.Repeat(" ", run))
		default:
			b.WriteString(p.th.Heat[level].Render(strings.Repeat(glyphs[level], run)))
		}
	}
	cells := heatCells(sev, width)
	for _, v := range cells {
		if l := heatLevel(v); l != level {
			flush()
			level, run = l, 0
		}
		run++
	}
	flush()
	return b.String() + strings.Repeat(" ", width-len(cells))
}

// heatmap is a version's feature × time map: a row per feature, worst
// first, the prediction last, then the events marked (marks nil: no such
// row), the time axis and the legend.
func (p painter) heatmap(vv versionView, l layout, h *fleet.DriftHistory, now time.Time, marks []graph.Mark) []string {
	label := l.feature
	title := fmt.Sprintf("when it started: score ÷ threshold over %s, one column ≈ %s", common.RangeText(h.Range),
		shortDuration(columnSpan(h, l.heat)))
	out := []string{" " + p.th.Header.Render(title)}
	for _, r := range vv.rows {
		out = append(out, " "+p.th.Text.Render(common.Fit(r.name, label))+" "+p.heatRow(r.history, l.heat))
	}
	if vv.prediction != nil {
		out = append(out, " "+p.th.Bold.Render(common.Fit(vv.prediction.name, label))+" "+p.heatRow(vv.prediction.history, l.heat))
	}
	pad := strings.Repeat(" ", label+2)
	if marks != nil {
		out = append(out, pad+graph.MarkRow(p.th, p.ascii, marks, l.heat, heatColumn(h, l.heat)))
	}
	out = append(out, pad+p.th.Muted.Render(timeAxis(h, l.heat, now, p.ascii)))
	legend := p.legend()
	if label+2+ansi.StringWidth(legend) > l.width {
		pad = " "
	}
	return append(out, pad+legend)
}

// heatColumn is the heatmap column whose steps hold a time, as heatCells
// lays steps out: several steps per column keep the column of all of
// them; a step stretched over several columns is marked at its first.
func heatColumn(h *fleet.DriftHistory, width int) func(time.Time) (int, bool) {
	n := 0
	for _, s := range h.Series {
		n = max(n, len(s.Scores))
	}
	start := h.End.Add(-time.Duration(n-1) * h.Step)
	return func(t time.Time) (int, bool) {
		if n == 0 || width <= 0 || h.Step <= 0 {
			return 0, false
		}
		i := int(math.Round(float64(t.Sub(start)) / float64(h.Step)))
		if i < 0 || i > n-1 {
			return 0, false
		}
		if n >= width {
			return i * width / n, true
		}
		return (i*width + n - 1) / n, true
	}
}

// columnSpan is how much time one heatmap column covers.
func columnSpan(h *fleet.DriftHistory, width int) time.Duration {
	n := 0
	for _, s := range h.Series {
		n = max(n, len(s.Scores))
	}
	if n <= width || width <= 0 {
		return h.Step
	}
	return time.Duration(float64(h.Step) * float64(n) / float64(width))
}

// timeAxis labels the first column, the middle and the newest: clock
// times, "now" when the newest step is current.
func timeAxis(h *fleet.DriftHistory, width int, now time.Time, ascii bool) string {
	n := 0
	for _, s := range h.Series {
		n = max(n, len(s.Scores))
	}
	if n == 0 || width < 12 {
		return ""
	}
	end := h.End
	start := end.Add(-time.Duration(n-1) * h.Step)
	format := "15:04"
	if end.Sub(start) > 12*time.Hour {
		format = "Jan 2 15:04"
	}
	last := end.Format(format)
	if now.Sub(end) <= 2*h.Step {
		last = "now"
	}
	cells := []rune(strings.Repeat(" ", width))
	put := func(at int, s string) {
		for i, r := range []rune(s) {
			if at+i >= 0 && at+i < width {
				cells[at+i] = r
			}
		}
	}
	mid := start.Add(end.Sub(start) / 2).Format(format)
	left, tick, right := "└", "┴", "┘"
	if ascii {
		left, tick, right = "|", "|", "|"
	}
	put(0, left+start.Format(format))
	put(width/2, tick+mid)
	put(width-len([]rune(last))-1, last+right)
	return string(cells)
}

// legend explains the shades in words and glyphs.
func (p painter) legend() string {
	g := p.heatGlyphs()
	words := [5]string{"<½", "½–1", "1–2", "2–3", "≥3"}
	if p.ascii {
		words = [5]string{"<0.5", "0.5-1", "1-2", "2-3", ">=3"}
	}
	parts := make([]string, 0, 6)
	for i := range g {
		parts = append(parts, p.th.Heat[i].Render(g[i])+" "+p.th.Muted.Render(words[i]))
	}
	return strings.Join(parts, "  ") + p.th.Muted.Render(" × threshold · blank: no data")
}

// shortDuration writes a step: 20s, 1m, 1m30s, 2h.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d <= 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d < time.Hour && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < time.Hour:
		return fmt.Sprintf("%dm%ds", d/time.Minute, (d%time.Minute)/time.Second)
	}
	return fmt.Sprintf("%dh%dm", d/time.Hour, (d%time.Hour)/time.Minute)
}
