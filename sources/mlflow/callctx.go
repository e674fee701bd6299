package mlflow

import (
	"context"
	"time"
)

type (
	timeoutKey     struct{}
	idempotencyKey struct{}
)

// WithRequestTimeout makes each request under ctx bounded by d instead of
// the client's own Options.Timeout: an action's configured time limit is
// then the one that applies, not the client's default for registry reads.
func WithRequestTimeout(ctx context.Context, d time.Duration) context.Context {
	if d <= 0 {
		return ctx
	}
	return context.WithValue(ctx, timeoutKey{}, d)
}

// WithIdempotencyKey sends key as the Idempotency-Key header of every write
// under ctx, so that a proxy or server that honours it applies a request
// once even if it arrives twice.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	if key == "" {
		return ctx
	}
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// requestTimeout is the bound of one request under ctx.
func (c *Client) requestTimeout(ctx context.Context) time.Duration {
	if d, ok := ctx.Value(timeoutKey{}).(time.Duration); ok {
		return d
	}
	return c.timeout
}

func idempotencyKeyOf(ctx context.Context) string {
	k, _ := ctx.Value(idempotencyKey{}).(string)
	return k
}
