package history

import (
	"context"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// graphed are the roles drawn as graphs and trends.
var graphed = map[fleet.Role]bool{
	fleet.RoleRequestRate: true, fleet.RoleErrorRatio: true, fleet.RoleLatencyP95: true,
	fleet.RoleLatencyMean: true, fleet.RolePerformance: true, fleet.RoleTrafficWeight: true,
}

// Provider serves graph data to every viewer from one shared store.
type Provider struct {
	store   *Store
	minStep time.Duration
	timeout time.Duration
}

// NewProvider serves the graphed roles among queries from src. minStep is
// the finest step worth asking for (the scrape interval); timeout bounds
// each fetch.
func NewProvider(src RangeQuerier, queries []Query, minStep, timeout time.Duration) *Provider {
	var qs []Query
	for _, q := range queries {
		if graphed[q.Role] {
			qs = append(qs, q)
		}
	}
	return &Provider{store: New(src, qs, time.Now, timeout), minStep: minStep, timeout: timeout}
}

// History returns the window for rng with about width points.
func (h *Provider) History(rng time.Duration, width int) (Window, error) {
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	return h.store.Fetch(ctx, rng, StepFor(rng, width, h.minStep))
}

// HistoryAt returns the window for rng ending at end (a look back), with
// about width points. It is fetched whole, apart from the shared store
// that follows the present.
func (h *Provider) HistoryAt(rng time.Duration, width int, end time.Time) (Window, error) {
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	past := New(h.store.src, h.store.queries, func() time.Time { return end }, h.timeout)
	w, err := past.Fetch(ctx, rng, StepFor(rng, width, h.minStep))
	h.store.mu.Lock()
	h.store.sent += past.QueriesSent()
	h.store.mu.Unlock()
	return w, err
}

// QueriesSent counts range queries made so far.
func (h *Provider) QueriesSent() int { return h.store.QueriesSent() }
