package root

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeLookBack answers with the fixture fleet as of the time asked, with
// one model renamed so that a test sees which snapshot is shown; before
// refuseBefore it fails as a server past its retention would.
type fakeLookBack struct {
	mu           sync.Mutex
	asked        []time.Time
	refuseBefore time.Time
	notes        []string // what the snapshot says is not as it was
}

func (f *fakeLookBack) SnapshotAt(_ context.Context, at time.Time) (fleet.Snapshot, error) {
	f.mu.Lock()
	f.asked = append(f.asked, at)
	f.mu.Unlock()
	if at.Before(f.refuseBefore) {
		return fleet.Snapshot{}, errors.New("no query had any series then")
	}
	s := uitest.Snapshot()
	s.TakenAt = at
	s.LookBack = &fleet.LookBack{MadeAt: uitest.Now, Notes: f.notes}
	s.Models[0].Name = "then-" + s.Models[0].Name
	return s, nil
}

func lookBackRoot(t *testing.T, w, h int) (*Model, *fakeLookBack, *fakeExecutor) {
	t.Helper()
	lb := &fakeLookBack{}
	fx := newFakeExecutor()
	m := newRoot(t, "dark", w, h, Options{Common: newTestCommon("dark"), Actions: fx, LookBack: lb})
	return m, lb, fx
}

func runCommandLine(m *Model, line string) {
	press(m, ":")
	typeText(m, line)
	deliver(m, press(m, "enter"))
}

func statusText(m *Model) string { return ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]) }

func TestAtFreezesOnThePastAndLiveReturns(t *testing.T) {
	m, lb, _ := lookBackRoot(t, 200, 50)
	now := m.c.Now
	runCommandLine(m, "at -2h")
	want := now.Add(-2 * time.Hour)
	if len(lb.asked) != 1 || !lb.asked[0].Equal(want) {
		t.Fatalf("asked %v, want %v", lb.asked, want)
	}
	if s := m.c.Snapshot; s == nil || !s.TakenAt.Equal(want) || s.Live() {
		t.Fatalf("shown snapshot taken %v, want the look back at %v", s.TakenAt, want)
	}
	if got := statusText(m); !strings.Contains(got, "AT "+whenText(want)+" — not live · :live returns") {
		t.Errorf("status line does not say it is not live: %q", got)
	}

	// The poller goes on: its snapshots are kept, not shown.
	live := uitest.Snapshot()
	live.TakenAt = now.Add(5 * time.Second)
	m.Update(common.SnapshotMsg{Snapshot: live})
	if !m.c.Snapshot.TakenAt.Equal(want) {
		t.Fatalf("a live snapshot replaced the frozen one: shown taken %v", m.c.Snapshot.TakenAt)
	}

	runCommandLine(m, "live")
	if s := m.c.Snapshot; !s.TakenAt.Equal(live.TakenAt) || !s.Live() {
		t.Errorf(":live shows the snapshot taken %v, want the newest live one %v", s.TakenAt, live.TakenAt)
	}
	if got := statusText(m); strings.Contains(got, "not live") {
		t.Errorf("status line after :live: %q", got)
	}
}

func TestAtAbsoluteTimeAndMistakes(t *testing.T) {
	m, lb, _ := lookBackRoot(t, 120, 40)
	at := m.c.Now.Add(-3 * time.Hour).UTC().Truncate(time.Minute)
	runCommandLine(m, "at "+at.Format("2006-01-02T15:04"))
	if len(lb.asked) != 1 || !lb.asked[0].Equal(at) {
		t.Fatalf("asked %v, want %v", lb.asked, at)
	}
	for line, want := range map[string]string{
		"at tomorrow": "is not a time",
		"at " + m.c.Now.Add(time.Hour).UTC().Format("2006-01-02T15:04"): "in the future",
	} {
		runCommandLine(m, line)
		if !m.flash.isErr || !strings.Contains(m.flash.text, want) {
			t.Errorf(":%s flashed %q, want an error saying %q", line, m.flash.text, want)
		}
	}
	if len(lb.asked) != 1 {
		t.Errorf("a mistyped :at was sent: %v", lb.asked)
	}
	// A failed look back says why and leaves the screen as it was.
	lb.refuseBefore = m.c.Now.Add(-24 * time.Hour)
	runCommandLine(m, "at -2d")
	if !m.flash.isErr || !strings.Contains(m.flash.text, "cannot look back to") || !strings.Contains(m.flash.text, "no query had any series") {
		t.Errorf("failed look back flashed %q", m.flash.text)
	}
	if !m.c.Snapshot.TakenAt.Equal(at) {
		t.Errorf("a failed look back changed the snapshot shown: taken %v", m.c.Snapshot.TakenAt)
	}
}

func TestBracketsStepByTheRange(t *testing.T) {
	m, lb, _ := lookBackRoot(t, 120, 40)
	now := m.c.Now
	deliver(m, press(m, "]"))
	if len(lb.asked) != 0 || !m.c.Snapshot.Live() {
		t.Fatalf("] while live looked back: %v", lb.asked)
	}
	deliver(m, press(m, "["))
	deliver(m, press(m, "["))
	deliver(m, press(m, "2")) // range 1h
	deliver(m, press(m, "]"))
	want := []time.Time{now.Add(-time.Hour), now.Add(-2 * time.Hour), now.Add(-time.Hour)}
	if fmt.Sprint(lb.asked) != fmt.Sprint(want) {
		t.Fatalf("asked %v, want %v", lb.asked, want)
	}
	press(m, "1") // range 15m
	deliver(m, press(m, "["))
	if got := lb.asked[len(lb.asked)-1]; !got.Equal(now.Add(-75 * time.Minute)) {
		t.Errorf("[ at 15m asked %v, want 15m before the time shown", got)
	}
	// Forward past the present returns to live.
	press(m, "4")
	deliver(m, press(m, "]"))
	if !m.c.Snapshot.Live() || strings.Contains(statusText(m), "not live") {
		t.Errorf("] past now did not return to live: %q", statusText(m))
	}
}

// Keys pressed faster than answers come: the answer of a time no longer
// wanted is dropped, and only the last time asked is shown.
func TestLateLookBackAnswerIsDropped(t *testing.T) {
	m, _, _ := lookBackRoot(t, 120, 40)
	first := press(m, "[")
	press(m, "[")
	var next tea.Cmd
	for _, msg := range uitest.Run(first) {
		_, next = m.Update(msg)
	}
	if m.back.frozen() {
		t.Fatalf("the answer for a time no longer wanted was shown: %v", m.c.Snapshot.TakenAt)
	}
	deliver(m, next)
	if want := m.c.Now.Add(-2 * time.Hour); !m.c.Snapshot.TakenAt.Equal(want) {
		t.Errorf("shown %v, want the last asked %v", m.c.Snapshot.TakenAt, want)
	}
}

func TestActionsRefusedWhileLookingBack(t *testing.T) {
	m, _, fx := lookBackRoot(t, 120, 40)
	runCommandLine(m, "at -1h")
	deliver(m, press(m, "R"))
	if m.overlay == overlayDialog || !m.flash.isErr || !strings.Contains(m.flash.text, "actions act on the present; :live first") {
		t.Errorf("R while looking back: overlay %v, flash %q", m.overlay, m.flash.text)
	}
	if len(fx.planned) != 0 {
		t.Errorf("a plan was asked for while looking back")
	}
	runCommandLine(m, "live")
	deliver(m, press(m, "R"))
	if m.overlay != overlayDialog {
		t.Errorf("R after :live did not open the dialog: flash %q", m.flash.text)
	}
}

func TestAtWithoutLookBack(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	runCommandLine(m, "at -1h")
	if !m.flash.isErr || !strings.Contains(m.flash.text, "looking back needs") {
		t.Errorf("flash %q", m.flash.text)
	}
}

func TestGoldenLookBackStatus(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("lookback-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, _, _ := lookBackRoot(t, sz[0], sz[1])
			runCommandLine(m, "at 2026-03-04T03:00")
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			if !strings.Contains(ansi.Strip(got), "AT 2026-03-04 03:00 UTC — not live") {
				t.Errorf("frame does not say it is not live:\n%s", ansi.Strip(got))
			}
			uitest.Golden(t, name, got)
		})
	}
}

// pastGraphs records which windows the graphs asked for: the present's or
// one ending at a past time.
type pastGraphs struct {
	mu   sync.Mutex
	live int
	ends []time.Time
}

func (p *pastGraphs) History(rng time.Duration, _ int) (history.Window, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live++
	return history.Window{Range: rng}, nil
}

func (p *pastGraphs) HistoryAt(rng time.Duration, _ int, end time.Time) (history.Window, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ends = append(p.ends, end)
	return history.Window{Range: rng, End: end}, nil
}

// windowEnds records where the events and serving-history windows asked
// for end.
type windowEnds struct {
	mu                sync.Mutex
	events, servedTos []time.Time
}

func (w *windowEnds) Events(_ context.Context, _ string, _, to time.Time) ([]fleet.Event, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, to)
	return nil, nil
}

func (w *windowEnds) Served(_ context.Context, _ string, _, to time.Time) (map[string][]fleet.ServedInterval, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.servedTos = append(w.servedTos, to)
	return nil, nil
}

func (w *windowEnds) last() (events, served time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.events) > 0 {
		events = w.events[len(w.events)-1]
	}
	if len(w.servedTos) > 0 {
		served = w.servedTos[len(w.servedTos)-1]
	}
	return events, served
}

func TestGraphsEndAtTheTimeLookedAt(t *testing.T) {
	g := &pastGraphs{}
	ends := &windowEnds{}
	c := newTestCommon("dark")
	c.History = g
	c.Events, c.Served = ends, ends
	m := newRoot(t, "dark", 120, 40, Options{Common: c, LookBack: &fakeLookBack{}})
	deliver(m, m.push(m.screens.Detail(m.c, "credit-risk")))
	g.live = 0
	press(m, ":")
	typeText(m, "at -1h")
	for _, msg := range uitest.Run(press(m, "enter")) {
		_, cmd := m.Update(msg)
		uitest.Run(cmd) // the graphs' fetches
	}
	want := m.c.Now.Add(-time.Hour)
	if len(g.ends) == 0 || g.live != 0 {
		t.Fatalf("after :at the graphs asked %d live windows and past ones ending %v", g.live, g.ends)
	}
	for _, end := range g.ends {
		if !end.Equal(want) {
			t.Errorf("a graph window ends %v, want %v", end, want)
		}
	}
	if ev, srv := ends.last(); !ev.Equal(want) || !srv.Equal(want) {
		t.Errorf("the events' window ends %v and the serving strip's %v, want both at %v", ev, srv, want)
	}
	press(m, ":")
	typeText(m, "live")
	for _, msg := range uitest.Run(press(m, "enter")) {
		_, cmd := m.Update(msg)
		uitest.Run(cmd)
	}
	if ev, srv := ends.last(); !ev.Equal(m.c.Now) || !srv.Equal(m.c.Now) {
		t.Errorf("after :live the events' window ends %v and the serving strip's %v, want now (%v)", ev, srv, m.c.Now)
	}
	if g.live == 0 {
		t.Error(":live did not fetch the present's graphs again")
	}
	if _, past := m.c.History.(*pastGraphs); !past {
		t.Errorf(":live left the graphs' service at %T", m.c.History)
	}
}

// The compare screen binds [ and ] itself (its A version): there they are
// the screen's, and :at still looks back.
func TestBracketsStayTheCompareScreens(t *testing.T) {
	m, lb, _ := lookBackRoot(t, 120, 40)
	m.Update(common.OpenCompareMsg{Model: "credit-risk"})
	if !strings.HasPrefix(top(m), "compare") {
		t.Fatalf("stack %v", m.Stack())
	}
	deliver(m, press(m, "["))
	deliver(m, press(m, "]"))
	if len(lb.asked) != 0 {
		t.Errorf("[ or ] on the compare screen looked back: %v", lb.asked)
	}
	runCommandLine(m, "at -1h")
	if len(lb.asked) != 1 || m.c.Snapshot.Live() {
		t.Errorf(":at on the compare screen: asked %v", lb.asked)
	}
}

// What a look back could not show as it was reaches the dashboard: in
// full in the flash, and the first note beside "not live".
func TestLookBackNotesReachTheStatusLine(t *testing.T) {
	m, lb, _ := lookBackRoot(t, 200, 50)
	lb.notes = []string{"aliases and stages are today's: mltop keeps no registry history here", "alerts at a past time are unknown"}
	runCommandLine(m, "at -1h")
	if got := m.flash.text; !strings.Contains(got, "not as it was: aliases and stages are today's") || !strings.Contains(got, "alerts at a past time are unknown") {
		t.Errorf("flash after the look back: %q, want the notes in full", got)
	}
	if got := statusText(m); !strings.Contains(got, "not live") || !strings.Contains(got, "aliases and stages are today's") || !strings.Contains(got, "(+1)") {
		t.Errorf("status once the flash is gone: %q, want the first note and how many more", got)
	}
}
