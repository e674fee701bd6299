package detail

import (
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
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
	h := (avail - otherRows - panelRows*panelChrome) / (panelRows * graphsPerPanel)
	l.graphRows = min(max(h, minGraphRows), maxGraphRows)
}

// fetchWidth is how many points to ask the history for: about one per
// plotted column (the y-axis labels take a few columns of the graph area).
func (l layout) fetchWidth() int {
	return max(l.graphArea-8, 10)
}

// fit truncates s to w cells and pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// wrapParts lays parts out after a label column, separated by sep, moving
// to a new (indented) line when the next part would pass the width; a part
// wider than a line is truncated.
func wrapParts(label string, labelW int, parts []string, sep string, width int) []string {
	indent := strings.Repeat(" ", labelW)
	line := fit(label, labelW)
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

// wrapText breaks plain text at spaces into lines of at most width cells,
// keeping no more than maxLines (the last one truncated).
func wrapText(s string, width, maxLines int) []string {
	if width <= 0 || maxLines <= 0 {
		return nil
	}
	words := strings.Fields(s)
	var out []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) > maxLines {
		last := strings.Join(out[maxLines-1:], " ")
		out = append(out[:maxLines-1], ansi.Truncate(last, width, "…"))
	}
	return out
}

// trackOrder puts stable first, then canary, then shadow, then the rest.
func trackOrder(track string) int {
	switch track {
	case fleet.TrackStable:
		return 0
	case fleet.TrackCanary:
		return 1
	case fleet.TrackShadow:
		return 2
	}
	return 3
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
		if serving && trackOrder(a.Track) != trackOrder(b.Track) {
			return trackOrder(a.Track) < trackOrder(b.Track)
		}
		if serving {
			return versionLess(a.Version, b.Version)
		}
		return versionLess(b.Version, a.Version)
	})
	return out
}

// versionLess orders numeric versions numerically, others as strings.
func versionLess(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
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
		out[i] = fit(l, leftW) + " " + fit(r, rightW)
	}
	return out
}
