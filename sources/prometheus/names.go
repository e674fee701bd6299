package prometheus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// MetricNames asks which metric names the server holds between start and
// end (GET /api/v1/label/__name__/values), among the series matches
// selects (none: every series). limit > 0 asks for at most that many
// (servers without the limit parameter send them all; the answer is then
// cut). The names come back sorted. An error is in plain words (as
// Query's) and wraps the cause, so callers can tell a refused connection
// from an answer.
func (s *Source) MetricNames(ctx context.Context, matches []string, start, end time.Time, limit int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ctx, p := withProbe(withAnswerLimit(ctx, maxNamesBytes))
	var opts []v1.Option
	if limit > 0 {
		opts = append(opts, v1.WithLimit(uint64(limit)))
	}
	vals, _, _, err := s.api.LabelValues(ctx, model.MetricNameLabel, matches, start, end, opts...)
	var tooLarge *AnswerTooLargeError
	if errors.As(err, &tooLarge) {
		return nil, &CallError{Msg: fmt.Sprintf("the list of metric names is larger than %d MiB: the server sends too much (or without end)", maxNamesBytes>>20), Err: err}
	}
	if err != nil {
		return nil, &CallError{Msg: explain(err, p, s.url, s.timeout).Error(), Err: err}
	}
	s.detectBackend(ctx)
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, string(v))
	}
	slices.Sort(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// maxNamesBytes bounds a list of metric names: a server's every name is
// a few MiB at most, and a match[]-bounded list a few hundred bytes.
const maxNamesBytes = 16 << 20

// CallError is a failed call: Msg in plain words, Err the cause.
type CallError struct {
	Msg string
	Err error
}

func (e *CallError) Error() string { return e.Msg }
func (e *CallError) Unwrap() error { return e.Err }
