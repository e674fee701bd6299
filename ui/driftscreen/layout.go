package driftscreen

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/mltop/mltop/ui/common"
)

// Column widths, in cells.
const (
	scoreW   = 5 // ".27", "12.8"
	pvalueW  = 6 // "<.001"
	threshW  = 5 // "≥.10", "<.05"
	verdictW = 9 // "— no data", "— too few"
	minTrend = 6
	// barScale is the severity a full bar stands for: three times the
	// threshold, so the tick sits a third of the way along every bar and
	// bars compare across features and models.
	barScale = 3.0
)

// layout is every width the page needs, computed in one place from the
// screen width.
type layout struct {
	width int
	gap   int // spaces between columns
	// feature is the name column of the table and the heatmap, the same
	// for every model so the heatmap's width (and fetch) never depends on data.
	feature int
	bar     int
	method  int
	source  int  // exported or computed: "exported", or "exp" when short
	short   bool // short method and source names (js, wass, chi²; exp, cmp)
	pvalue  int  // 0 when no row has a p-value
	trend   int  // 0 without a history provider
	dq      bool // data-quality columns: some version has data quality
	dqWide  bool // three data-quality columns, else one
	heat    int  // heatmap columns
}

// featureCap is the widest feature column for a screen width.
func featureCap(width int) int {
	switch {
	case width >= 160:
		return 26
	case width >= 110:
		return 20
	}
	return 14
}

// heatWidth is the heatmap's number of columns (and of steps fetched) for
// a screen width; it depends on nothing else, so data never changes it.
func heatWidth(width int) int {
	return max(width-2-featureCap(width), 10)
}

// computeLayout sizes the columns for a screen width: the trend takes
// what the others leave. The data-quality columns are there when dq.
func computeLayout(width int, pvalues, trend, dq bool) layout {
	l := layout{width: width, gap: 2, feature: featureCap(width), heat: heatWidth(width)}
	switch {
	case width >= 160:
		l.bar, l.method, l.source = 40, 13, 8
	case width >= 110:
		l.bar, l.method, l.source = 20, 13, 8
	default:
		l.gap, l.bar, l.method, l.source, l.short = 1, 12, 5, 3, true
	}
	if pvalues {
		l.pvalue = pvalueW
	}
	l.dq, l.dqWide = dq, width >= 110
	cols := []int{l.feature, l.bar, scoreW, l.method, l.source, threshW, verdictW}
	cols = append(cols, l.dqWidths()...)
	if l.pvalue > 0 {
		cols = append(cols, l.pvalue)
	}
	used := 1 // left margin
	for _, c := range cols {
		used += c + l.gap
	}
	switch {
	case trend:
		l.trend = max(width-used, 0)
		if l.trend < minTrend {
			l.trend = 0
		}
	default:
		// Without a trend the bars take the room, up to twice their size.
		l.bar += min(max(width-used, 0), l.bar)
	}
	return l
}

// tableWidth is the width of a table row without the trend.
func (l layout) tableWidth() int {
	w := 1 + l.feature + l.gap + l.bar + l.gap + scoreW + l.gap + l.method + l.gap + l.source + l.gap + threshW + l.gap + verdictW
	if l.pvalue > 0 {
		w += l.gap + l.pvalue
	}
	for _, c := range l.dqWidths() {
		w += l.gap + c
	}
	return w
}

// dqWidths are the data-quality columns' widths.
func (l layout) dqWidths() []int {
	if !l.dq {
		return nil
	}
	if l.dqWide {
		return []int{dqShareW, dqShareW, dqShareW}
	}
	return []int{dqNarrow}
}

// fitRight is fit with the text against the right edge.
func fitRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return common.Fit(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}
