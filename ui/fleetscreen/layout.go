package fleetscreen

import (
	"cmp"
	"slices"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/human"
)

// extraDrop: columns with this drop priority or higher go before model
// names are shortened; the rest are core. Latency and errors are core, so
// at 80 columns a red row still shows its cause; rollout is an extra.
const extraDrop = 5

// comfortName is how much of a model name is kept before extras drop.
const comfortName = 20

// nameCol is the column that shortens (the model name).
var nameCol = func() colID {
	for id := range fleetColumns {
		if fleetColumns[id].shorten {
			return colID(id)
		}
	}
	panic("fleetscreen: no column shortens")
}()

// growthStep is one turn of the growth order.
type growthStep struct {
	id colID
	growStep
}

// growth says who gets spare width, in turn: the columns' grow steps in
// order of their turns.
var growth = func() []growthStep {
	var out []growthStep
	for id := range fleetColumns {
		for _, g := range fleetColumns[id].grow {
			out = append(out, growthStep{colID(id), g})
		}
	}
	slices.SortStableFunc(out, func(a, b growthStep) int { return cmp.Compare(a.turn, b.turn) })
	return out
}()

// column is a placed column: where it starts and how wide it is.
type column struct {
	id   colID
	x, w int
	head cell
}

// layoutInput is everything the layout depends on besides the width.
type layoutInput struct {
	sort      colID
	reverse   bool
	stale     []staleness // by column
	now       time.Time
	need      []int // each column's largest measure over the fleet
	history   bool  // a history window is held; without one history columns go
	alerts    bool  // the snapshot has an alert source; without one alerts columns go
	contexts  bool  // models carry their context (:ctx all); without it contexts columns go
	bell      string
	staleMark string
	up, down  string
}

// header builds a column's title cell: the title, the sort arrow when the
// table is sorted by it, and the age of its data when stale.
func header(id colID, in *layoutInput) cell {
	d := &fleetColumns[id]
	var c cell
	c.right = d.right
	title := d.title
	if d.alerts {
		title = in.bell
	}
	if d.sort != nil && id == in.sort {
		arrow := in.down
		if !d.sort.asc == in.reverse {
			arrow = in.up
		}
		c.add(title+arrow, toneTitle)
	} else {
		c.add(title, toneHeader)
	}
	if st := in.stale[id]; st.Stale {
		age := "—"
		if !st.Since.IsZero() {
			age = human.Duration(in.now.Sub(st.Since))
		}
		c.add(" "+in.staleMark+age, toneStale)
	}
	return c
}

// computeLayout places the columns that fit in width. Columns drop by
// priority until the minimum widths fit (never the sorted one, so its
// arrow stays in view), then spare width grows the flexible ones.
func computeLayout(width int, in *layoutInput) []column {
	minW, prefW := make([]int, numCols), make([]int, numCols)
	active := make([]bool, numCols)
	total := gutterWidth - gapWidth
	for id := colID(0); id < numCols; id++ {
		d := &fleetColumns[id]
		minW[id] = max(d.min, header(id, in).width())
		prefW[id] = max(minW[id], d.pref)
		if d.fit != nil {
			minW[id], prefW[id] = d.fit(in.need[id], minW[id], prefW[id])
		}
		if d.history && !in.history || d.alerts && !in.alerts || d.contexts && !in.contexts {
			continue
		}
		active[id] = true
		total += minW[id] + gapWidth
	}

	// Drop the extras first while model names show in full (up to
	// comfortName), then shorten names before dropping core columns, and
	// cut names to the bone only when nothing else is left to drop.
	squeeze := func(to int) {
		if total > width && minW[nameCol] > to {
			cut := min(total-width, minW[nameCol]-to)
			minW[nameCol] -= cut
			total -= cut
		}
	}
	if want := min(in.need[nameCol], comfortName); want > minW[nameCol] {
		total += want - minW[nameCol]
		minW[nameCol] = want
	}
	dropUntil(&total, width, extraDrop, active, minW, in.sort)
	squeeze(fleetColumns[nameCol].min)
	dropUntil(&total, width, 1, active, minW, in.sort)
	squeeze(1)
	w := minW // grown in place
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
func dropUntil(total *int, width, floor int, active []bool, minW []int, sorted colID) {
	for *total > width {
		victim := colID(-1)
		for id := colID(0); id < numCols; id++ {
			d := &fleetColumns[id]
			if !active[id] || d.drop < floor || (d.sort != nil && id == sorted) {
				continue
			}
			if victim < 0 || d.drop > fleetColumns[victim].drop {
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
