package common

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
)

// EstimateHistoryProvider computes a model's quality estimate over a range,
// about width steps, for the detail screen's quality graph. The graphs'
// HistoryProvider offers it when the sources allow (EstimatesOf).
type EstimateHistoryProvider interface {
	EstimateHistory(model string, rng time.Duration, width int) (fleet.EstimateHistory, error)
}

// EstimatesOf is the estimate history p also offers, or nil.
func EstimatesOf(p HistoryProvider) EstimateHistoryProvider {
	e, _ := p.(EstimateHistoryProvider)
	return e
}

// EstimateHistoryMsg carries the estimate over time for the model that asked.
type EstimateHistoryMsg struct {
	Model   string
	History fleet.EstimateHistory
	Err     error
}

func (m EstimateHistoryMsg) answer() (string, time.Duration, fleet.EstimateHistory, error, bool) {
	return m.Model, m.History.Range, m.History, m.Err, false
}

// FetchEstimateHistory is the command that asks for the estimate over a
// range; nil without a provider, like FetchHistory.
func FetchEstimateHistory(p EstimateHistoryProvider, model string, rng time.Duration, width int) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		h, err := p.EstimateHistory(model, rng, width)
		return EstimateHistoryMsg{Model: model, History: h, Err: err}
	}
}
