package poll

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// ProgressReporter may be implemented by a registry source whose read can
// span several attempts, each going on where the last was cut off by the
// deadline. Progress is nil when the last attempt finished its read.
type ProgressReporter interface {
	Progress() *fleet.Progress
}

type registryResult struct {
	reg fleet.Registry
	err error
	dur time.Duration
}

// readRegistry reads the registry under the refresh deadline. On success
// the next read is scheduled RegistryRefresh later; on failure the last good
// registry stays in use and the backoff decides when to retry.
func (p *Poller) readRegistry(ctx context.Context, now time.Time) {
	rctx, cancel := context.WithTimeout(ctx, p.opts.Deadline)
	defer cancel()
	p.stats.registryReads.Add(1)
	done := make(chan registryResult, 1) // buffered: a late reader never blocks
	go func() {
		start := p.opts.Now()
		var r registryResult
		defer func() {
			if v := recover(); v != nil {
				p.log.Error("registry source panicked", "panic", v)
				r.err = fmt.Errorf("source failed: %v", v)
			}
			r.dur = p.opts.Now().Sub(start)
			done <- r
		}()
		r.reg, r.err = p.opts.Registry.Registry(rctx)
	}()
	var r registryResult
	select {
	case r = <-done:
	case <-rctx.Done():
		select {
		case r = <-done:
		default:
			r = registryResult{err: rctx.Err(), dur: p.opts.Deadline}
		}
	}
	if r.err != nil && ctx.Err() != nil {
		return // shutting down: not the registry's fault
	}
	if br, ok := p.opts.Registry.(BackendReporter); ok {
		p.registry.status.Backend = br.Backend()
	}
	var prog *fleet.Progress
	if pr, ok := p.opts.Registry.(ProgressReporter); ok && r.err != nil {
		prog = pr.Progress()
	}
	last := p.registry.status.Progress
	p.registry.status.Progress = prog
	if r.err != nil && advanced(last, prog) {
		p.unfinishedRegistry(now, r.dur, prog)
		return
	}
	if r.err != nil {
		p.stats.registryErrors.Add(1)
		p.recordAttempt(&p.registry, "registry", now, r.dur, false, plainError(r.err, rctx, p.opts.Deadline), nil)
		p.honourRetryAfter(now, r.err)
		p.regNext = p.registry.status.NextAttempt
		return
	}
	reg := r.reg
	p.reg = &reg
	p.lastReg.Store(&reg)
	p.regNext = now.Add(p.opts.RegistryRefresh)
	p.recordAttempt(&p.registry, "registry", now, r.dur, true, "", nil)
	if p.opts.OnRegistry != nil {
		p.opts.OnRegistry(reg, now)
	}
}

// retryHinter is an error that says when the server asked to be tried
// again (an HTTP 503 or 429 with Retry-After).
type retryHinter interface {
	error
	RetryAfterHint() time.Duration
}

// honourRetryAfter puts the next attempt no sooner than the server asked,
// up to MaxBackoff, when that is later than the backoff's.
func (p *Poller) honourRetryAfter(now time.Time, err error) {
	h, ok := errors.AsType[retryHinter](err)
	if !ok || h.RetryAfterHint() <= 0 {
		return
	}
	at := now.Add(min(h.RetryAfterHint(), p.opts.MaxBackoff))
	if st := &p.registry.status; at.After(st.NextAttempt) {
		st.NextAttempt = at
		p.registry.backoff.next = at
	}
}

// unfinishedRegistry records an attempt that was cut off by the deadline
// after reading more than the last one: not a failure, so no backoff; the
// read goes on at the next refresh. Until a first read completes there is no
// registry data, which the status says.
func (p *Poller) unfinishedRegistry(now time.Time, dur time.Duration, prog *fleet.Progress) {
	st := &p.registry.status
	st.Latency, st.Warnings, st.NextAttempt = dur, nil, time.Time{}
	p.registry.backoff.succeeded()
	p.regNext = now
	if p.reg == nil {
		st.OK, st.Error = false, "first read not finished: "+prog.String()
	}
	p.log.Debug("registry read continues at the next refresh", "progress", prog.String())
}

// advanced reports whether an unfinished read got further than the last
// attempt: an attempt that read nothing new is a failure like any other.
func advanced(last, now *fleet.Progress) bool {
	switch {
	case now == nil:
		return false
	case last == nil:
		return true
	case (now.Total > 0) != (last.Total > 0):
		return true
	}
	return now.Done > last.Done
}
