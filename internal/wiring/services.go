package wiring

import (
	"time"

	"github.com/mltop/mltop/internal/drift/drifthistory"
	"github.com/mltop/mltop/internal/estimatehistory"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/poll"
)

// The services an App offers its viewers. Each is an interface that is nil
// when the sources cannot provide it, never a nil pointer inside a non-nil
// interface, so a caller passes it on as it is and tests it against nil.
type (
	// History serves graph windows to every viewer from one shared store.
	History interface {
		History(rng time.Duration, width int) (history.Window, error)
		// HistoryAt is the window ending at a past time (looking back).
		HistoryAt(rng time.Duration, width int, end time.Time) (history.Window, error)
		// QueriesSent counts range queries made so far.
		QueriesSent() int
	}
	// DriftHistory computes a model's drift over a range for the drift
	// screen.
	DriftHistory interface {
		DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error)
		// DriftHistoryAt is the range ending at a past time (looking back).
		DriftHistoryAt(model string, rng time.Duration, width int, end time.Time) (fleet.DriftHistory, error)
	}
)

// withEstimates is History that also computes a model's quality estimate
// over a range (the detail screen's quality graph finds it there), so the
// graphs' one service carries both.
type withEstimates struct {
	graphs History
	est    *estimatehistory.Provider
}

func (w withEstimates) History(rng time.Duration, width int) (history.Window, error) {
	return w.graphs.History(rng, width)
}

func (w withEstimates) HistoryAt(rng time.Duration, width int, end time.Time) (history.Window, error) {
	return w.graphs.HistoryAt(rng, width, end)
}

func (w withEstimates) EstimateHistoryAt(model string, rng time.Duration, width int, end time.Time) (fleet.EstimateHistory, error) {
	return w.est.EstimateHistoryAt(model, rng, width, end)
}

func (w withEstimates) QueriesSent() int { return w.graphs.QueriesSent() }

func (w withEstimates) EstimateHistory(model string, rng time.Duration, width int) (fleet.EstimateHistory, error) {
	return w.est.EstimateHistory(model, rng, width)
}

// addEstimates gives h the estimate over time when the sources allow it.
func addEstimates(h History, src poll.MetricsSource, queries []poll.Query, p *poll.Poller, opts estimatehistory.Options) History {
	if h == nil {
		return nil
	}
	opts.Latest = p.Hub().Latest
	est := estimatehistory.New(src, queries, opts)
	if est == nil {
		return h
	}
	return withEstimates{graphs: h, est: est}
}

// newHistory serves the graphs of queries from src; nil when src cannot
// answer range queries.
func newHistory(src poll.MetricsSource, queries []poll.Query, minStep, timeout time.Duration) History {
	rq, ok := src.(history.RangeQuerier)
	if !ok {
		return nil
	}
	hq := make([]history.Query, 0, len(queries))
	for _, q := range queries {
		hq = append(hq, history.Query{Role: q.Role, Expr: q.Expr})
	}
	return history.NewProvider(rq, hq, minStep, timeout)
}

// newDriftHistory judges drift over time as p judges the present, with
// p's registry reads for the reference profiles and its latest snapshot
// for the models' metrics labels; nil when src cannot answer range queries
// or no feature histograms are configured.
func newDriftHistory(src poll.MetricsSource, queries []poll.Query, p *poll.Poller, opts drifthistory.Options) DriftHistory {
	opts.Registry, opts.Latest = p.Registry, p.Hub().Latest
	dh := drifthistory.New(src, queries, opts)
	if dh == nil {
		return nil
	}
	return dh
}
