package root

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/uitest"
)

// observed wraps the root so a test can wait for frames the program
// actually drew: every View publishes its frame and signals.
type observed struct {
	m       *Model
	mu      sync.Mutex
	frame   string
	changed chan struct{}
}

func newObserved(m *Model) *observed {
	return &observed{m: m, changed: make(chan struct{}, 1)}
}

func (o *observed) Init() tea.Cmd { return o.m.Init() }

func (o *observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := o.m.Update(msg)
	return o, cmd
}

func (o *observed) View() tea.View {
	v := o.m.View()
	o.mu.Lock()
	o.frame = v.Content
	o.mu.Unlock()
	select {
	case o.changed <- struct{}{}:
	default:
	}
	return v
}

func (o *observed) current() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.frame
}

// waitFrame waits until a drawn frame satisfies cond, or fails after a deadline.
func (o *observed) waitFrame(t *testing.T, what string, cond func(frame, text string) bool) string {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		f := o.current()
		if cond(f, ansi.Strip(f)) {
			return f
		}
		select {
		case <-o.changed:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; last frame:\n%s", what, ansi.Strip(o.current()))
		}
	}
}

// signallingHistory answers with the fixture history and reports each range asked.
type signallingHistory struct{ asked chan time.Duration }

func (s *signallingHistory) History(rng time.Duration, width int) (history.Window, error) {
	select {
	case s.asked <- rng:
	default:
	}
	return uitest.History(rng, max(width, 2)), nil
}

func (s *signallingHistory) waitRange(t *testing.T, want time.Duration) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case got := <-s.asked:
			if got == want {
				return
			}
		case <-deadline.C:
			t.Fatalf("no history request for %v", want)
		}
	}
}

func topLine(text string) string { return strings.SplitN(text, "\n", 2)[0] }

func fitsIn(frame string, w, h int) bool {
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		return false
	}
	for _, l := range lines {
		if lipgloss.Width(l) > w {
			return false
		}
	}
	return true
}

// The key flow with the real fleet and detail screens in a real program:
// filter, open, change range, resize, go back, quit.
func TestFlowFilterOpenRangeBackQuit(t *testing.T) {
	hist := &signallingHistory{asked: make(chan time.Duration, 64)}
	c := uitest.Common("dark")
	c.Snapshot = nil
	c.History = hist
	snaps := make(chan fleet.Snapshot, 1)
	snaps <- uitest.Snapshot()
	defer close(snaps)
	obs := newObserved(New(Options{Common: c, Snapshots: snaps, Context: "test"}))
	tm := teatest.NewTestModel(t, obs, teatest.WithInitialTermSize(120, 40))

	obs.waitFrame(t, "the fleet", func(_, text string) bool {
		return strings.Contains(text, "payments-fraud") && strings.Contains(text, "credit-risk")
	})

	tm.Type("/credit")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	obs.waitFrame(t, "the filtered fleet", func(_, text string) bool {
		return !strings.Contains(text, "payments-fraud") && strings.Contains(text, "credit-risk") &&
			strings.Contains(lastLine(text), "/credit ")
	})

	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	obs.waitFrame(t, "the detail of credit-risk", func(_, text string) bool {
		return strings.Contains(topLine(text), "mltop › credit-risk")
	})

	tm.Type("3")
	hist.waitRange(t, 6*time.Hour)

	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	obs.waitFrame(t, "a frame of 80x24", func(f, _ string) bool { return fitsIn(f, 80, 24) })
	tm.Send(tea.WindowSizeMsg{Width: 200, Height: 50})
	obs.waitFrame(t, "a frame of 200x50", func(f, _ string) bool { return fitsIn(f, 200, 50) })

	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	obs.waitFrame(t, "the fleet again, still filtered", func(_, text string) bool {
		return !strings.Contains(topLine(text), "›") && strings.Contains(text, "credit-risk") &&
			!strings.Contains(text, "payments-fraud")
	})

	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(*observed)
	frame := final.m.View().Content
	assertFits(t, frame, 200, 50)
	if got := final.m.Filter(); got != "credit" {
		t.Errorf("final filter %q, want credit", got)
	}
	if got := final.m.Stack(); len(got) != 1 {
		t.Errorf("final stack %v, want the fleet only", got)
	}
}
