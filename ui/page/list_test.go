package page

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A list of 10 rows, row 3 taking 4 lines, in a view of 5 lines.
func TestListKeepsTheSelectedRowInView(t *testing.T) {
	lines := func(i int) int {
		if i == 3 {
			return 4
		}
		return 1
	}
	k := ListKeys("first", "last")
	var l List
	press := func(code rune) bool {
		return l.Key(tea.KeyPressMsg{Code: code}, k, 10, 5, lines)
	}
	for range 3 {
		press(tea.KeyDown)
	}
	if l.Sel != 3 || l.Offset != 2 {
		t.Fatalf("on the tall row: sel %d offset %d, want 3 and 2 (its 4 lines in view)", l.Sel, l.Offset)
	}
	press(tea.KeyEnd)
	if l.Sel != 9 || l.Offset != 8 {
		t.Fatalf("at the end: sel %d offset %d, want 9 and 8 (13 lines, 5 shown)", l.Sel, l.Offset)
	}
	press(tea.KeyPgUp)
	if l.Sel != 5 {
		t.Fatalf("a page up moves height-1 rows: sel %d, want 5", l.Sel)
	}
	if press('x') {
		t.Fatal("x is not a list key")
	}
	var empty List
	if !empty.Key(tea.KeyPressMsg{Code: tea.KeyDown}, k, 0, 5, lines) || empty.Sel != 0 {
		t.Fatalf("down on an empty list is taken and leaves sel 0, got %d", empty.Sel)
	}
}
