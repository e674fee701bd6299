package uitest

import (
	"context"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// Events are known events of a model over the hour before Now: one of each
// kind, two on one minute, one before the hour, and text a hostile server
// could send (escape codes), which screens must clean.
func Events(model string) []fleet.Event {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.UTC) }
	return []fleet.Event{
		{Time: at(1, 30, 0), Kind: fleet.EventAction, Model: model, Text: "retrain by bob: succeeded"},
		{Time: at(2, 10, 0), Kind: fleet.EventDeploy, Model: model, Version: "12", Text: "v12 took traffic"},
		{Time: at(2, 12, 0), Kind: fleet.EventAlias, Model: model, Version: "12", Text: "@challenger set to v12"},
		{Time: at(2, 20, 0), Kind: fleet.EventRolloutStep, Model: model, Text: "rollout step 1 → 2"},
		{Time: at(2, 31, 0), Kind: fleet.EventDriftOnset, Model: model, Version: "12", Text: "drift began on v12: income"},
		{Time: at(2, 40, 0), Kind: fleet.EventAlert, Model: model, Version: "12", Text: "Evil\x1b[2J\x1b]0;pwned\x07Alert firing on v12"},
		{Time: at(2, 45, 0), Kind: fleet.EventAction, Model: model, Text: "rollout pause by alice: succeeded"},
		{Time: at(2, 45, 10), Kind: fleet.EventStage, Model: model, Version: "12", Text: "v12 None → Staging"},
	}
}

// EventsProvider answers with Events(model) in the range asked, and
// records what it was asked.
type EventsProvider struct {
	mu    sync.Mutex
	Err   error // returned beside the events (a partial answer)
	calls int
	model string
	from  time.Time
	to    time.Time
}

// Events returns the fixture's events of model within [from, to].
func (p *EventsProvider) Events(_ context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	p.mu.Lock()
	p.calls++
	p.model, p.from, p.to = model, from, to
	err := p.Err
	p.mu.Unlock()
	var out []fleet.Event
	for _, e := range Events(model) {
		if !e.Time.Before(from) && !e.Time.After(to) {
			out = append(out, e)
		}
	}
	return out, err
}

// Asked is how many times the provider was asked, and the last ask.
func (p *EventsProvider) Asked() (calls int, model string, from, to time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls, p.model, p.from, p.to
}
