package poll

import "sync/atomic"

// Stats are the poller's running totals since New.
type Stats struct {
	Refreshes      uint64 // PollOnce calls that completed
	QueriesSent    uint64 // metrics queries started
	QueryErrors    uint64 // metrics queries that failed or timed out
	RegistryReads  uint64 // registry reads started
	RegistryErrors uint64 // registry reads that failed or timed out
	SkippedTicks   uint64 // refresh ticks skipped because a refresh overran them
}

type counters struct {
	refreshes, queriesSent, queryErrors, registryReads, registryErrors, skippedTicks atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Refreshes:      c.refreshes.Load(),
		QueriesSent:    c.queriesSent.Load(),
		QueryErrors:    c.queryErrors.Load(),
		RegistryReads:  c.registryReads.Load(),
		RegistryErrors: c.registryErrors.Load(),
		SkippedTicks:   c.skippedTicks.Load(),
	}
}
