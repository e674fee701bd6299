package wiring

import (
	"context"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
)

// historyRoles are the quantities drawn as graphs and trends.
var historyRoles = map[fleet.Role]bool{
	fleet.RoleRequestRate: true, fleet.RoleErrorRatio: true, fleet.RoleLatencyP95: true,
	fleet.RoleLatencyMean: true, fleet.RolePerformance: true, fleet.RoleTrafficWeight: true,
}

// HistoryProvider serves graph data to every viewer from one shared store.
type HistoryProvider struct {
	store   *history.Store
	minStep time.Duration
	timeout time.Duration
}

// History returns the window for rng with about width points.
func (h *HistoryProvider) History(rng time.Duration, width int) (history.Window, error) {
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	return h.store.Fetch(ctx, rng, history.StepFor(rng, width, h.minStep))
}

// QueriesSent counts range queries made so far.
func (h *HistoryProvider) QueriesSent() int { return h.store.QueriesSent() }

func newHistory(src any, queries []fleet.Role, exprs []string, minStep, timeout time.Duration) *HistoryProvider {
	rq, ok := src.(history.RangeQuerier)
	if !ok {
		return nil
	}
	var qs []history.Query
	for i, role := range queries {
		if historyRoles[role] {
			qs = append(qs, history.Query{Role: role, Expr: exprs[i]})
		}
	}
	return &HistoryProvider{store: history.New(rq, qs, time.Now, timeout), minStep: minStep, timeout: timeout}
}
