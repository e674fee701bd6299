package fleetscreen

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// newScreen is the fleet screen over the fixture fleet, with its trends.
func newScreen(t testing.TB, theme string, w, h int) *Model {
	t.Helper()
	m := New(uitest.Common(theme))
	m.Update(common.HistoryMsg{Window: uitest.History(trendRange, sparkWidth)})
	m.SetSize(w, h)
	return m
}

// screenOver is the fleet screen (dark) over snapshot s.
func screenOver(t testing.TB, s fleet.Snapshot, w, h int) *Model {
	t.Helper()
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.Update(common.HistoryMsg{Window: uitest.History(trendRange, sparkWidth)})
	m.SetSize(w, h)
	return m
}

func press(m *Model, keys ...string) tea.Cmd {
	var last tea.Cmd
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "pgdown":
			msg = tea.KeyPressMsg{Code: tea.KeyPgDown}
		case "pgup":
			msg = tea.KeyPressMsg{Code: tea.KeyPgUp}
		case "home":
			msg = tea.KeyPressMsg{Code: tea.KeyHome}
		case "end":
			msg = tea.KeyPressMsg{Code: tea.KeyEnd}
		case "ctrl+d":
			msg = tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
		case "ctrl+u":
			msg = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
		default:
			r := []rune(k)[0]
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		_, last = m.Update(msg)
	}
	return last
}

// plainLines is the view without colours, one string per line.
func plainLines(m *Model) []string {
	return strings.Split(ansi.Strip(m.View()), "\n")
}

// order lists model names as drawn, top to bottom.
func order(m *Model) []string {
	var names []string
	for _, pos := range m.view {
		names = append(names, m.entries[pos].m.Name)
	}
	return names
}

// lineOf returns the first drawn line containing s, or "".
func lineOf(m *Model, s string) string {
	for _, l := range plainLines(m) {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// checkSize asserts the View contract: exactly h lines of exactly w cells.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines, want %d", w, h, len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%dx%d: line %d is %d cells wide, want %d:\n%q", w, h, i, got, w, ansi.Strip(l))
		}
	}
}

// at shifts the fixture's clock, for snapshots newer than the first.
func at(d time.Duration) time.Time { return uitest.Now.Add(d) }

// col is the column titled title ("" for the health icon).
func col(title string) colID {
	for id := range fleetColumns {
		if fleetColumns[id].title == title {
			return colID(id)
		}
	}
	panic("no column " + title)
}
