package page

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// List is a cursor over rows of one or more lines each (a row and its
// expansion), scrolled so the selected row stays in view: the alerts and
// audit screens' lists.
type List struct {
	Sel    int // the selected row
	Offset int // the first list line drawn
}

// ListKeys are the scroll bindings of a list, Top and Bottom helped as
// first and last (e.g. "newest", "oldest").
func ListKeys(first, last string) Keys {
	k := NewKeys()
	k.Up.SetHelp("↑/k", "up")
	k.Down.SetHelp("↓/j", "down")
	k.Top.SetHelp("g/home", first)
	k.Bottom.SetHelp("G/end", last)
	return k
}

// Key moves the cursor for a scroll key, a page being height less one
// line; it reports whether msg was one. lines is how many lines row i
// takes.
func (l *List) Key(msg tea.KeyPressMsg, k Keys, count, height int, lines func(i int) int) bool {
	page := max(height-1, 1)
	var n int
	switch {
	case key.Matches(msg, k.Up):
		n = -1
	case key.Matches(msg, k.Down):
		n = 1
	case key.Matches(msg, k.PageUp):
		n = -page
	case key.Matches(msg, k.PageDown):
		n = page
	case key.Matches(msg, k.Top):
		n = -count
	case key.Matches(msg, k.Bottom):
		n = count
	default:
		return false
	}
	if count > 0 {
		l.Sel = min(max(l.Sel+n, 0), count-1)
		l.Clamp(count, height, lines)
	}
	return true
}

// Clamp keeps the selected row, and its expansion, in a view of height
// lines.
func (l *List) Clamp(count, height int, lines func(i int) int) {
	if height <= 0 {
		l.Offset = 0
		return
	}
	top, bottom := span(l.Sel, count, lines)
	if top < l.Offset {
		l.Offset = top
	}
	if bottom > l.Offset+height {
		l.Offset = max(bottom-height, 0)
		l.Offset = min(l.Offset, top)
	}
	_, total := span(count-1, count, lines)
	l.Offset = min(max(l.Offset, 0), max(total-height, 0))
}

// span is the first and past-the-last list line of row i.
func span(i, count int, lines func(i int) int) (int, int) {
	top := 0
	for j := 0; j < i && j < count; j++ {
		top += lines(j)
	}
	if i < 0 || i >= count {
		return top, top
	}
	return top, top + lines(i)
}
