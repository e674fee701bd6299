package poll

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/merge"
)

// queryState is one query's last good result and the fate of its last attempt.
type queryState struct {
	q           Query
	vec         model.Vector     // last good result; reused while the query fails
	tab         *labelrows.Table // the same for a histogram role (see merge.TableColumns)
	held        model.Vector     // vec with stale versions' samples held (see withHeld)
	lastSuccess time.Time
	next        time.Time // with Every: not sent again before this
	attempted   bool
	notAsked    bool // the source did not send it: no role it reads (see ErrNotAsked)
	ok          bool
	err         string
	dur         time.Duration
}

func (q *queryState) status(source string) fleet.QueryStatus {
	return fleet.QueryStatus{
		Name:        q.q.Name,
		Role:        q.q.Role,
		Source:      source,
		OK:          q.ok,
		Error:       q.err,
		Series:      len(q.vec) + q.tab.Len(),
		Duration:    q.dur,
		LastSuccess: q.lastSuccess,
	}
}

type queryResult struct {
	i        int
	vec      model.Vector
	tab      *labelrows.Table
	warnings []string
	err      error
	dur      time.Duration
}

// due reports whether a query is to be sent at time at: always, unless it
// has an Every and answered less than that ago.
func (q *queryState) due(at time.Time) bool {
	return q.q.Every <= 0 || !q.ok || !at.Before(q.next)
}

// queryMetrics sends every due query at once under one deadline and records
// the outcome. A source that overruns the deadline is not waited for: its
// late answer is dropped.
func (p *Poller) queryMetrics(ctx context.Context, at time.Time) {
	if pp, ok := p.opts.Metrics.(PollPreparer); ok {
		pp.PreparePoll(ctx)
	}
	var due []int
	for i := range p.queries {
		if p.queries[i].due(at) {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		return
	}
	n := len(due)
	qctx, cancel := context.WithTimeout(ctx, p.opts.Deadline)
	defer cancel()
	results := make(chan queryResult, n) // buffered: late senders never block
	for _, i := range due {
		expr, name, role := p.queries[i].q.Expr, p.queries[i].q.Name, p.queries[i].q.Role
		go func() {
			start := p.opts.Now()
			r := queryResult{i: i}
			defer func() {
				if v := recover(); v != nil {
					p.log.Error("metrics source panicked", "query", name, "panic", v)
					r.err = fmt.Errorf("source failed: %v", v)
				}
				r.dur = p.opts.Now().Sub(start)
				results <- r
			}()
			if cols := merge.TableColumns(role); cols != nil {
				r.tab, r.warnings, r.err = QueryTable(qctx, p.opts.Metrics, expr, at, cols)
				return
			}
			r.vec, r.warnings, r.err = p.opts.Metrics.Query(qctx, expr, at)
		}()
	}
	got := make([]*queryResult, len(p.queries))
	collect(results, got, n, qctx.Done())

	aborted := ctx.Err() != nil // shutting down: failures say nothing about the source
	var (
		okCount  int
		firstErr string
		latency  time.Duration
		warnings []string
	)
	for _, i := range due {
		r := got[i]
		q := &p.queries[i]
		if r == nil {
			r = &queryResult{i: i, err: qctx.Err(), dur: p.opts.Deadline}
			if r.err == nil {
				r.err = context.DeadlineExceeded
			}
		}
		if errors.Is(r.err, ErrNotAsked) {
			q.notAsked, q.ok, q.err, q.vec, q.tab, q.held = true, false, "", nil, nil, nil
			n-- // not sent
			continue
		}
		q.notAsked = false
		latency = max(latency, r.dur)
		if r.err != nil && aborted {
			continue
		}
		q.attempted, q.dur = true, r.dur
		if r.err != nil {
			p.stats.queryErrors.Add(1)
			q.ok = false
			q.err = plainError(r.err, qctx, p.opts.Deadline)
			if firstErr == "" {
				firstErr = q.err
			}
			p.log.Debug("query failed", "query", q.q.Name, "role", q.q.Role, "err", r.err)
			continue
		}
		okCount++
		q.ok, q.err, q.vec, q.tab, q.lastSuccess = true, "", r.vec, r.tab, at
		q.next = at.Add(q.q.Every)
		warnings = append(warnings, r.warnings...)
	}
	p.stats.queriesSent.Add(uint64(n))
	if n == 0 || aborted && okCount == 0 {
		return
	}
	if br, ok := p.opts.Metrics.(BackendReporter); ok {
		p.metrics.status.Backend = br.Backend()
	}
	if rr, ok := p.opts.Metrics.(RecordedReporter); ok {
		p.metrics.status.Recorded = rr.Recorded()
	}
	if pr, ok := p.opts.Metrics.(ProfilesReporter); ok {
		if pp := pr.Profiles(); pp != nil {
			p.metrics.status.Profiles = pp
		}
	}
	p.recordAttempt(&p.metrics, "metrics", at, latency, okCount > 0, firstErr, dedupe(warnings))
}

// QueryTable asks src for a table, converting its samples when it cannot
// answer with one.
func QueryTable(ctx context.Context, src MetricsSource, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	if ts, ok := src.(TableSource); ok {
		return ts.QueryTable(ctx, expr, at, cols)
	}
	vec, warnings, err := src.Query(ctx, expr, at)
	if err != nil {
		return nil, warnings, err
	}
	return labelrows.FromVector(vec, cols), warnings, nil
}

// collect gathers n results into got (by query index) until all have
// arrived or done closes; then it takes whatever has already arrived.
func collect(results <-chan queryResult, got []*queryResult, n int, done <-chan struct{}) {
	for pending := n; pending > 0; pending-- {
		select {
		case r := <-results:
			got[r.i] = &r
		case <-done:
			for {
				select {
				case r := <-results:
					got[r.i] = &r
				default:
					return
				}
			}
		}
	}
}

// recordAttempt updates a source's status and backoff after an attempt.
func (p *Poller) recordAttempt(s *sourceState, what string, now time.Time, latency time.Duration, ok bool, errText string, warnings []string) {
	st := &s.status
	wasOK := st.OK || st.LastSuccess.IsZero() && st.Error == ""
	st.Latency, st.Warnings = latency, warnings
	if ok {
		if !wasOK {
			p.log.Info(what+" source recovered", "source", st.Name)
		}
		s.backoff.succeeded()
		st.OK, st.Error, st.LastSuccess, st.NextAttempt = true, "", now, time.Time{}
		return
	}
	st.OK, st.Error = false, errText
	st.NextAttempt = s.backoff.failed(now, p.opts.Jitter())
	level := p.log.Debug
	if wasOK {
		level = p.log.Warn
	}
	level(what+" source failed", "source", st.Name, "err", errText, "next_attempt", st.NextAttempt)
}
