package common

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

// The history services that can also end their range at a past time, for
// the graphs of a dashboard looking back (:at).
type (
	PastHistoryProvider interface {
		HistoryAt(rng time.Duration, width int, end time.Time) (history.Window, error)
	}
	PastDriftHistoryProvider interface {
		DriftHistoryAt(model string, rng time.Duration, width int, end time.Time) (fleet.DriftHistory, error)
	}
	PastEstimateHistoryProvider interface {
		EstimateHistoryAt(model string, rng time.Duration, width int, end time.Time) (fleet.EstimateHistory, error)
	}
)

// HistoryEndingAt is p with every window ending at end, estimates
// included when p offers them; nil when p cannot end a window in the
// past: no graphs then, rather than today's under a past time.
func HistoryEndingAt(p HistoryProvider, end time.Time) HistoryProvider {
	ph, ok := p.(PastHistoryProvider)
	if !ok {
		return nil
	}
	h := pastHistory{p: ph, end: end}
	if pe, ok := p.(PastEstimateHistoryProvider); ok {
		return pastHistoryEstimates{pastHistory: h, e: pe}
	}
	return h
}

// DriftHistoryEndingAt is p with every range ending at end; nil when p
// cannot end one in the past.
func DriftHistoryEndingAt(p DriftHistoryProvider, end time.Time) DriftHistoryProvider {
	pd, ok := p.(PastDriftHistoryProvider)
	if !ok {
		return nil
	}
	return pastDrift{p: pd, end: end}
}

type pastHistory struct {
	p   PastHistoryProvider
	end time.Time
}

func (h pastHistory) History(rng time.Duration, width int) (history.Window, error) {
	return h.p.HistoryAt(rng, width, h.end)
}

type pastHistoryEstimates struct {
	pastHistory
	e PastEstimateHistoryProvider
}

func (h pastHistoryEstimates) EstimateHistory(model string, rng time.Duration, width int) (fleet.EstimateHistory, error) {
	return h.e.EstimateHistoryAt(model, rng, width, h.end)
}

type pastDrift struct {
	p   PastDriftHistoryProvider
	end time.Time
}

func (d pastDrift) DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	return d.p.DriftHistoryAt(model, rng, width, d.end)
}
