package poll

import (
	"context"
	"errors"
	"time"

	"github.com/mltop/mltop/internal/neterr"
)

// plainError says what went wrong in words an operator reads at a glance:
// "connection refused", "timed out after 5s", rather than a chain of
// wrappers around a context error. ctx is the call's context, deadline its
// timeout.
func plainError(err error, ctx context.Context, deadline time.Duration) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "timed out after " + deadline.String()
	case errors.Is(err, context.Canceled), ctx.Err() != nil:
		return "canceled"
	}
	return neterr.Plain(err, deadline)
}

// dedupe returns the distinct strings of in, in first-seen order; nil when none.
func dedupe(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(in))
	var out []string
	for _, s := range in {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
