package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
)

// EventsProvider lists what happened to a model over a range, oldest first
// (*events.Collector). With some of its sources failing it returns the
// others' events and an error naming the failed ones.
type EventsProvider interface {
	Events(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error)
}

// eventsTimeout bounds one fetch; the provider has its own, shorter limit.
const eventsTimeout = 30 * time.Second

// EventWindow is a model's events over the range ending at To.
type EventWindow struct {
	Range    time.Duration
	From, To time.Time
	Events   []fleet.Event // oldest first
}

// EventsMsg carries a model's events for the screen that asked.
type EventsMsg struct {
	Model  string
	Window EventWindow
	Err    error
}

func (m EventsMsg) answer() (string, time.Duration, EventWindow, error, bool) {
	// A partial answer (some sources failed) still marks what the others
	// found.
	return m.Model, m.Window.Range, m.Window, m.Err, len(m.Window.Events) > 0
}

// FetchEvents is the command that asks for a model's events over the rng
// ending at now; nil without a provider, like FetchHistory.
func FetchEvents(p EventsProvider, model string, rng time.Duration, now time.Time) tea.Cmd {
	if p == nil || rng <= 0 {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), eventsTimeout)
		defer cancel()
		w := EventWindow{Range: rng, From: now.Add(-rng), To: now}
		evs, err := p.Events(ctx, model, w.From, w.To)
		w.Events = evs
		return EventsMsg{Model: model, Window: w, Err: err}
	}
}
