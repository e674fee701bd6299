package history

import (
	"context"
	"time"
)

// longReadKey marks a context whose range queries may take longer than a
// source's per-query timeout.
type longReadKey struct{}

// WithLongRead lets the range queries made with ctx take up to limit,
// where a source's own per-query timeout (prometheus.timeout) is shorter:
// that timeout is sized for a poll's instant queries, and a month of the
// whole fleet at once needs more. Only range queries read it, and only
// those made with this context: no other query is loosened.
func WithLongRead(ctx context.Context, limit time.Duration) context.Context {
	return context.WithValue(ctx, longReadKey{}, limit)
}

// RangeLimit is how long a range query made with ctx may take: the
// source's own limit, or the longer one WithLongRead gave.
func RangeLimit(ctx context.Context, own time.Duration) time.Duration {
	if d, ok := ctx.Value(longReadKey{}).(time.Duration); ok && d > own {
		return d
	}
	return own
}
