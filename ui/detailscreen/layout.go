package detailscreen

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
)

// Layout constants, in cells.
const (
	// minPanelWidth is the width under which two version panels no longer
	// fit side by side with readable graphs.
	minPanelWidth = 60
	// leftColWidth holds a graph's name, current value and "since HH:MM".
	leftColWidth = 12
	// sectionLabelWidth is the label column of the Rollout/Labels/Lineage lines.
	sectionLabelWidth = 9
	minGraphRows      = 3
	maxGraphRows      = 8
	// panelChrome is a version panel's rows besides graphs: two borders and
	// the current-values line.
	panelChrome = 3
	// axisRows is the time axis under each graph (the events marked on
	// it); timesRows the times named under a panel's last graph.
	axisRows  = 1
	timesRows = 1
)

// layout is every size the page needs, computed in one place from the
// screen size and the number of versions.
type layout struct {
	width, height int
	cols          int // version panels per row
	panelW        int // outer width of one panel
	inner         int // panel content width
	graphArea     int // y-axis labels + axis + plot
	graphRows     int // rows per graph
}

func computeLayout(width, height, versions int) layout {
	l := layout{width: width, height: height, cols: 1}
	if versions >= 2 && width >= 2*minPanelWidth {
		l.cols = 2
	}
	l.panelW = width
	if l.cols == 2 {
		l.panelW = (width - 1) / 2
	}
	l.inner = max(l.panelW-4, 0)
	l.graphArea = max(l.inner-leftColWidth-1, 0)
	l.graphRows = minGraphRows
	return l
}

// fitGraphRows picks the tallest graphs (within bounds) that let the whole
// page fit in avail rows; with too little room graphs keep their minimum and
// the page scrolls.
func (l *layout) fitGraphRows(avail, otherRows, versions, graphsPerPanel int) {
	if versions == 0 || graphsPerPanel == 0 {
		return
	}
	panelRows := (versions + l.cols - 1) / l.cols
	h := (avail-otherRows-panelRows*(panelChrome+timesRows))/(panelRows*graphsPerPanel) - axisRows
	l.graphRows = min(max(h, minGraphRows), maxGraphRows)
}

// fetchWidth is how many points to ask the history for: about one per
// plotted column (the y-axis labels take a few columns of the graph area).
func (l layout) fetchWidth() int {
	return max(l.graphArea-8, 10)
}

// wrapParts lays parts out after a label column, separated by sep, moving
// to a new (indented) line when the next part would pass the width; a part
// wider than a line is truncated.
func wrapParts(label string, labelW int, parts []string, sep string, width int) []string {
	indent := strings.Repeat(" ", labelW)
	line := common.Fit(label, labelW)
	lineW := labelW
	first := true
	var out []string
	sepW := ansi.StringWidth(sep)
	for _, p := range parts {
		pw := ansi.StringWidth(p)
		switch {
		case first:
			line += p
			lineW += pw
			first = false
		case lineW+sepW+pw <= width:
			line += sep + p
			lineW += sepW + pw
		default:
			out = append(out, line)
			line, lineW = indent+p, labelW+pw
		}
	}
	return append(out, line)
}

// shownVersions are the versions with a panel: the serving ones by track,
// or, when none serves, every version the registry knows, newest first.
func shownVersions(m *fleet.Model) []*fleet.Version {
	var out []*fleet.Version
	for i := range m.Versions {
		if m.Versions[i].Serving {
			out = append(out, &m.Versions[i])
		}
	}
	serving := len(out) > 0
	if !serving {
		for i := range m.Versions {
			out = append(out, &m.Versions[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if serving && fleet.TrackRank(a.Track) != fleet.TrackRank(b.Track) {
			return fleet.TrackRank(a.Track) < fleet.TrackRank(b.Track)
		}
		if serving {
			return fleet.CompareVersions(a.Version, b.Version) < 0
		}
		return fleet.CompareVersions(b.Version, a.Version) < 0
	})
	return out
}

// sideBySide joins two panels' lines with a one-column gap, padding the
// shorter one so both keep their borders.
func sideBySide(left, right []string, leftW, rightW int) []string {
	n := max(len(left), len(right))
	out := make([]string, n)
	for i := range n {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = common.Fit(l, leftW) + " " + common.Fit(r, rightW)
	}
	return out
}
