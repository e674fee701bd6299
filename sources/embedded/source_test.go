package embedded_test

import (
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/embedded"
)

// The engine is the poller's metrics source and the graphs' range querier.
var (
	_ poll.MetricsSource   = (*embedded.Engine)(nil)
	_ history.RangeQuerier = (*embedded.Engine)(nil)
)
