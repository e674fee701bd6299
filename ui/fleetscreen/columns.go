package fleetscreen

import (
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/human"
)

// colID names a column, in display order.
type colID int

const (
	colHealth colID = iota
	colModel
	colVersion
	colRPS
	colTrend
	colP95
	colErr
	colQuality
	colDrift
	colLabels
	colRollout
	colWhy
	numCols
)

// colSpec is a column's fixed description. drop orders columns for
// removal as the terminal narrows (highest first; 0 = never dropped).
type colSpec struct {
	title     string
	min, pref int
	drop      int
	right     bool
	sort      sortKey
	sortable  bool
}

var specs = [numCols]colSpec{
	colHealth:  {title: "", min: 1, pref: 1, sort: sortSeverity, sortable: true},
	colModel:   {title: "MODEL", min: 12, pref: 32, sort: sortName, sortable: true},
	colVersion: {title: "VERSION", min: 7, pref: 7},
	colRPS:     {title: "REQ/S", min: 5, pref: 5, drop: 4, right: true, sort: sortRPS, sortable: true},
	colTrend:   {title: "TREND", min: sparkWidth, pref: sparkWidth, drop: 7},
	colP95:     {title: "P95", min: 6, pref: 6, drop: 5, sort: sortP95, sortable: true},
	colErr:     {title: "ERR", min: errWidth, pref: errWidth, drop: 6, right: true, sort: sortErr, sortable: true},
	colQuality: {title: "QUALITY", min: 7, pref: 7, drop: 1, sort: sortQuality, sortable: true},
	colDrift:   {title: "DRIFT", min: 11, pref: 22, drop: 2, sort: sortDrift, sortable: true},
	colLabels:  {title: "LABELS", min: 12, pref: 12, drop: 8, sort: sortLabelAge, sortable: true},
	colRollout: {title: "ROLLOUT", min: 9, pref: 24, drop: 3},
	colWhy:     {title: "WHY", min: 24, pref: 1 << 16, drop: 9},
}

// growth says who gets spare width, in turn, up to what width (0: the
// column's preferred width): first enough for names, the mean's label, a
// feature name, the rollout phase and a readable reason; then the rest.
// A whole step grows fully or not at all, where a partial gain shows
// nothing more (the mean's label, the rollout's phase word).
var growth = []struct {
	id    colID
	to    int
	whole bool
}{
	{colModel, 0, false}, {colP95, 0, true}, {colDrift, 16, false}, {colRollout, 22, true},
	{colWhy, 40, false}, {colDrift, 0, false}, {colRollout, 0, false}, {colWhy, 0, false},
}

// extraDrop: columns with this drop priority or higher go before model
// names are shortened; the rest (rollout, drift, quality) are core.
const extraDrop = 4

// comfortName is how much of a model name is kept before extras drop.
const comfortName = 20

// Widths the cells need for what they show.
const (
	errWidth        = 5  // "4.1%", "<0.1%"
	meanWidth       = 12 // "117ms (mean)"
	rolloutBarWidth = 15 // "॥ 2/4 ▕█░░░▏25%"
)

const (
	gutterWidth = 1 // selection marker
	gapWidth    = 1
	trackWidth  = 6 // "stable", "canary", "shadow"
	weightWidth = 3 // "100"
)

// column is a placed column: where it starts and how wide it is.
type column struct {
	id   colID
	x, w int
	head cell
}

// layoutInput is everything the layout depends on besides the width.
type layoutInput struct {
	sort      sortKey
	reverse   bool
	stale     [numCols]staleness
	now       time.Time
	nameWidth int // widest model name
	verWidth  int // widest version label
	qualityW  int // widest quality cell
	hasMean   bool
	hasBar    bool
	trend     bool // a history window is held; without one the trend column goes
	staleMark string
	up, down  string
}

// header builds a column's title cell: the title, the sort arrow when the
// table is sorted by it, and the age of its data when stale.
func header(id colID, in *layoutInput) cell {
	sp := specs[id]
	var c cell
	c.right = sp.right
	if sp.sortable && sp.sort == in.sort {
		arrow := in.down
		if sp.sort.descending() == in.reverse {
			arrow = in.up
		}
		c.add(sp.title+arrow, toneTitle)
	} else {
		c.add(sp.title, toneHeader)
	}
	if st := in.stale[id]; st.stale {
		age := "—"
		if !st.since.IsZero() {
			age = human.Duration(in.now.Sub(st.since))
		}
		c.add(" "+in.staleMark+age, toneStale)
	}
	return c
}

// computeLayout places the columns that fit in width. Columns drop by
// priority until the minimum widths fit (never the sorted one, so its
// arrow stays in view), then spare width grows the flexible ones.
func computeLayout(width int, in *layoutInput) []column {
	var minW, prefW [numCols]int
	var active [numCols]bool
	total := gutterWidth - gapWidth
	for id := colID(0); id < numCols; id++ {
		minW[id] = max(specs[id].min, header(id, in).width())
		prefW[id] = max(minW[id], specs[id].pref)
		switch id {
		case colVersion:
			minW[id] = max(minW[id], in.verWidth+1+trackWidth+1+weightWidth)
			prefW[id] = minW[id]
		case colModel:
			prefW[id] = max(minW[id], min(in.nameWidth, specs[id].pref))
		case colQuality:
			minW[id] = max(minW[id], in.qualityW)
			prefW[id] = minW[id]
		case colP95:
			if in.hasMean {
				prefW[id] = meanWidth
			}
		case colRollout:
			if in.hasBar {
				minW[id] = max(minW[id], rolloutBarWidth)
			}
		}
		if id == colTrend && !in.trend {
			continue
		}
		active[id] = true
		total += minW[id] + gapWidth
	}

	// Drop the extras first while model names show in full (up to
	// comfortName), then shorten names before dropping core columns, and
	// cut names to the bone only when nothing else is left to drop.
	squeeze := func(to int) {
		if total > width && minW[colModel] > to {
			cut := min(total-width, minW[colModel]-to)
			minW[colModel] -= cut
			total -= cut
		}
	}
	if want := min(in.nameWidth, comfortName); want > minW[colModel] {
		total += want - minW[colModel]
		minW[colModel] = want
	}
	dropUntil(&total, width, extraDrop, &active, &minW, in.sort)
	squeeze(specs[colModel].min)
	dropUntil(&total, width, 1, &active, &minW, in.sort)
	squeeze(1)
	w := minW
	spare := width - total
	for _, step := range growth {
		id, to := step.id, prefW[step.id]
		if step.to > 0 {
			to = min(to, step.to)
		}
		if !active[id] || spare <= 0 || to <= w[id] {
			continue
		}
		g := min(spare, to-w[id])
		if step.whole && g < to-w[id] {
			continue
		}
		w[id] += g
		spare -= g
	}
	cols := make([]column, 0, numCols)
	x := gutterWidth
	for id := colID(0); id < numCols; id++ {
		if !active[id] {
			continue
		}
		if x >= width {
			break // a terminal too narrow for even the core: cut, never wrap
		}
		cols = append(cols, column{id: id, x: x, w: min(w[id], width-x), head: header(id, in)})
		x += w[id] + gapWidth
	}
	return cols
}

// dropUntil drops columns, highest drop first and never below floor or
// the sorted column, until total fits width.
func dropUntil(total *int, width, floor int, active *[numCols]bool, minW *[numCols]int, sorted sortKey) {
	for *total > width {
		victim := colID(-1)
		for id := colID(0); id < numCols; id++ {
			sp := specs[id]
			if !active[id] || sp.drop < floor || (sp.sortable && sp.sort == sorted) {
				continue
			}
			if victim < 0 || sp.drop > specs[victim].drop {
				victim = id
			}
		}
		if victim < 0 {
			return
		}
		active[victim] = false
		*total -= minW[victim] + gapWidth
	}
}

// columnAt returns the column under x, or -1.
func columnAt(cols []column, x int) colID {
	for _, c := range cols {
		if x >= c.x && x < c.x+c.w {
			return c.id
		}
	}
	return -1
}

// textWidth is the number of cells s takes on screen. Most cell text is
// ASCII, where a byte is a cell; the grapheme walk is for the rest.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
