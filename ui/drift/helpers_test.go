package drift

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeProvider records what it was asked for and answers with the
// fixture's drift history (or an error).
type fakeProvider struct {
	mu    sync.Mutex
	calls int
	model string
	rng   time.Duration
	width int
	err   error
}

func (f *fakeProvider) DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.model, f.rng, f.width = model, rng, width
	if f.err != nil {
		return fleet.DriftHistory{}, f.err
	}
	return uitest.DriftHistory(model, rng, width), nil
}

func (f *fakeProvider) asked() (calls int, model string, rng time.Duration, width int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.model, f.rng, f.width
}

// open returns a sized drift screen over the drift fixture with a fake
// provider, without history yet.
func open(t testing.TB, theme, model string, w, h int) (*Model, *common.Common, *fakeProvider) {
	t.Helper()
	c := uitest.Common(theme)
	s := uitest.DriftSnapshot()
	c.Snapshot = &s
	p := &fakeProvider{}
	c.DriftHistory = p
	m := New(c, model)
	m.SetSize(w, h)
	return m, c, p
}

// withHistory delivers the fixture's drift history for the current range,
// one step per heatmap column, as the screen asks.
func withHistory(m *Model, c *common.Common) {
	m.Update(common.DriftHistoryMsg{Model: m.model, History: uitest.DriftHistory(m.model, c.Range, m.fetchWidth())})
}

// run executes a command, unwrapping batches, and returns its messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// press builds a key press as Bubble Tea delivers it.
func press(s string) tea.KeyPressMsg {
	switch s {
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
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

// lineWith returns the first plain line containing s, or "".
func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
