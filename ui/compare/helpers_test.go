package compare

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeProvider records what it was asked for and answers with the
// fixture's history (or an error).
type fakeProvider struct {
	mu    sync.Mutex
	calls int
	rng   time.Duration
	width int
	err   error
}

func (f *fakeProvider) History(rng time.Duration, width int) (history.Window, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.rng, f.width = rng, width
	if f.err != nil {
		return history.Window{}, f.err
	}
	return uitest.History(rng, width), nil
}

func (f *fakeProvider) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// open returns a sized compare screen with a fake provider, without history yet.
func open(t testing.TB, theme, model, a, b string, w, h int) (*Model, *common.Common, *fakeProvider) {
	t.Helper()
	c := uitest.Common(theme)
	p := &fakeProvider{}
	c.History = p
	m := New(c, model, a, b)
	m.SetSize(w, h)
	return m, c, p
}

// withHistory delivers the fixture's history of the current range.
func withHistory(m *Model, c *common.Common, points int) {
	m.Update(common.HistoryMsg{Model: m.model, Window: uitest.History(c.Range, points)})
}

// press builds a key press as Bubble Tea delivers it.
func press(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// keys sends key presses in order.
func keys(m *Model, ks ...string) {
	for _, k := range ks {
		m.Update(press(k))
	}
}

// checkSize fails unless view is exactly w×h cells.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	if h == 0 || w == 0 {
		if view != "" {
			t.Fatalf("%dx%d: want empty view, got %q", w, h, view)
		}
		return
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}

// plain is the view without styling, for content assertions.
func plain(m *Model) string { return ansi.Strip(m.View()) }
