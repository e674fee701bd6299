package uitest

import (
	"sync"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

// Provider is a history provider for screen tests: it answers History and
// DriftHistory from the fixtures, one point per column asked for, or fails
// with the error set by Fail, and records what it was asked.
type Provider struct {
	mu    sync.Mutex
	err   error
	asked Asked
}

// Asked is what a Provider was asked: how many times, and the last request.
type Asked struct {
	Calls int
	Model string // "" for History, which is not per model
	Range time.Duration
	Width int
}

// Fail makes later fetches fail with err; nil makes them answer again.
func (p *Provider) Fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err = err
}

// Asked is what the provider was asked so far.
func (p *Provider) Asked() Asked {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.asked
}

// History answers with the fixture's window of rng at width points.
func (p *Provider) History(rng time.Duration, width int) (history.Window, error) {
	if err := p.ask("", rng, width); err != nil {
		return history.Window{}, err
	}
	return History(rng, width), nil
}

// DriftHistory answers with the fixture's drift of model over rng.
func (p *Provider) DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	if err := p.ask(model, rng, width); err != nil {
		return fleet.DriftHistory{}, err
	}
	return DriftHistory(model, rng, width), nil
}

func (p *Provider) ask(model string, rng time.Duration, width int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = Asked{Calls: p.asked.Calls + 1, Model: model, Range: rng, Width: width}
	return p.err
}
