package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
)

// ServedRange is how far back the detail screen shows which versions served.
const ServedRange = 30 * 24 * time.Hour

// servedWait bounds a serving-history fetch from the dashboard; the
// provider's own time limit is shorter.
const servedWait = time.Minute

// ServedProvider says which versions of a model served when
// (*servinghistory.Provider): the intervals, oldest first, keyed by model.
type ServedProvider interface {
	Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error)
}

// ServedMsg carries a model's serving history over From..To. Intervals
// may be set beside Err when only the error ratio or quality was lost.
type ServedMsg struct {
	Model     string
	From, To  time.Time
	Intervals []fleet.ServedInterval
	Err       error
}

// FetchServed is the command that asks for the model's serving history
// over the ServedRange up to now; nil without a provider.
func FetchServed(p ServedProvider, model string, now time.Time) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), servedWait)
		defer cancel()
		from := now.Add(-ServedRange)
		byModel, err := p.Served(ctx, model, from, now)
		return ServedMsg{Model: model, From: from, To: now, Intervals: byModel[model], Err: err}
	}
}
