package common

import (
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

type windowProvider struct{ calls int }

func (p *windowProvider) History(rng time.Duration, _ int) (history.Window, error) {
	p.calls++
	return history.Window{Range: rng}, nil
}

type historyFunc func(time.Duration, int) (history.Window, error)

func (f historyFunc) History(rng time.Duration, width int) (history.Window, error) {
	return f(rng, width)
}

// TestFetchWithoutAProviderIsNil: no provider, no command (the screen says
// there is no history instead of waiting); a provider of any kind, one.
func TestFetchWithoutAProviderIsNil(t *testing.T) {
	for name, tc := range map[string]struct {
		p    HistoryProvider
		want bool
	}{
		"nil":     {nil, false},
		"pointer": {&windowProvider{}, true},
		"func":    {historyFunc(func(time.Duration, int) (history.Window, error) { return history.Window{}, nil }), true},
	} {
		if cmd := FetchHistory(tc.p, "m", time.Hour, 10); (cmd != nil) != tc.want {
			t.Errorf("%s: FetchHistory gave a command: %v, want %v", name, cmd != nil, tc.want)
		}
	}
	if cmd := FetchDriftHistory(nil, "m", time.Hour, 10); cmd != nil {
		t.Error("FetchDriftHistory made a command without a provider")
	}
	if cmd := FetchDriftHistory(&driftProvider{}, "m", time.Hour, 10); cmd == nil {
		t.Error("FetchDriftHistory made no command for a provider")
	}
}

type driftProvider struct{}

func (*driftProvider) DriftHistory(string, time.Duration, int) (fleet.DriftHistory, error) {
	return fleet.DriftHistory{}, nil
}

func TestFetchHistoryAsksTheProvider(t *testing.T) {
	p := &windowProvider{}
	msg := FetchHistory(p, "credit-risk", 6*time.Hour, 80)()
	h, ok := msg.(HistoryMsg)
	if !ok || h.Model != "credit-risk" || h.Window.Range != 6*time.Hour || p.calls != 1 {
		t.Fatalf("got %#v after %d calls", msg, p.calls)
	}
}

func TestRangeHistoryTakesAnswersForItsModelAndRange(t *testing.T) {
	c := &Common{}
	series := map[history.Key][]history.Point{{Model: "m"}: {{V: 1}}}
	h := NewRangeHistory[history.Window](time.Hour)
	answer := func(msg HistoryMsg) { h.Follow(msg, c, "m") }

	answer(HistoryMsg{Model: "other", Window: history.Window{Range: time.Hour}})
	if h.Have || h.Serial != 0 {
		t.Fatal("took an answer to another model")
	}
	answer(HistoryMsg{Model: "m", Window: history.Window{Range: 6 * time.Hour}})
	if h.Have || h.Serial != 0 {
		t.Fatal("took a late answer for another range")
	}
	answer(HistoryMsg{Model: "m", Window: history.Window{Range: time.Hour}})
	if !h.Have || h.Serial != 1 {
		t.Fatalf("did not take the answer: %+v", h)
	}
	// A failure without data keeps what was there and says why, in plain words.
	answer(HistoryMsg{Model: "m", Err: errors.New("503\x1b[31m")})
	if !h.Have || h.Err != "503" || h.Serial != 2 {
		t.Fatalf("failure: %+v", h)
	}
	// A failure that still carries series for the range is drawn.
	answer(HistoryMsg{Model: "m", Window: history.Window{Range: time.Hour, Series: series}, Err: errors.New("partial")})
	if len(h.Data.Series) != 1 || h.Err != "partial" || h.Serial != 3 {
		t.Fatalf("partial failure: %+v", h)
	}
	// A new range drops the data and asks for a fetch; so does the same one.
	if !h.Follow(RangeMsg{Range: 6 * time.Hour}, c, "m") || h.Have || h.Err != "" || len(h.Data.Series) != 0 || h.Serial != 4 {
		t.Fatalf("after a new range: %+v", h)
	}
	if !h.Follow(RangeMsg{Range: 6 * time.Hour}, c, "m") || h.Serial != 4 {
		t.Fatalf("the same range again: %+v", h)
	}

	// A failed drift fetch never replaces the drawn history, and answers of
	// another kind are not taken.
	d := NewRangeHistory[fleet.DriftHistory](time.Hour)
	d.Follow(DriftHistoryMsg{Model: "m", History: fleet.DriftHistory{Range: time.Hour, Step: time.Minute}}, c, "m")
	d.Follow(DriftHistoryMsg{Model: "m", History: fleet.DriftHistory{Range: time.Hour}, Err: errors.New("x")}, c, "m")
	d.Follow(HistoryMsg{Model: "m", Window: history.Window{Range: time.Hour}}, c, "m")
	if d.Data.Step != time.Minute || d.Err != "x" || d.Serial != 2 {
		t.Fatalf("drift after a failure: %+v", d)
	}
}

func TestRangeHistoryPacesFetches(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &Common{Now: now, Refresh: time.Minute}
	snap := func(taken time.Time) SnapshotMsg { return SnapshotMsg{Snapshot: fleet.Snapshot{TakenAt: taken}} }
	h := NewRangeHistory[history.Window](time.Hour)
	fetches := 0
	fetch := func() tea.Cmd {
		fetches++
		h.Fetched(100, c.Now)
		return func() tea.Msg { return nil }
	}
	owed := func() bool { return h.OwedFetch(fetch) != nil }
	if !h.Follow(snap(now), c, "m") || !owed() || fetches != 1 {
		t.Fatal("a new history owes the first fetch")
	}
	if owed() {
		t.Fatal("a fetch settles what was owed")
	}
	if h.Follow(snap(now.Add(30*time.Second)), c, "m") {
		t.Error("due again within the refresh interval")
	}
	if !h.Follow(snap(now.Add(time.Minute)), c, "m") {
		t.Error("not due for a snapshot taken a refresh interval later")
	}
	c.Now = now.Add(time.Minute)
	if !h.Follow(snap(now), c, "m") {
		t.Error("not due a refresh interval later by the clock")
	}
	h.Resized(100)
	if owed() {
		t.Error("the same width made a fetch owed")
	}
	h.Resized(140)
	if !owed() || fetches != 2 {
		t.Error("a new width did not make a fetch owed")
	}
}
