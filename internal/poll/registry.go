package poll

import (
	"context"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

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
	if r.err != nil {
		p.stats.registryErrors.Add(1)
		p.recordAttempt(&p.registry, "registry", now, r.dur, false, plainError(r.err, rctx, p.opts.Deadline), nil)
		p.regNext = p.registry.status.NextAttempt
		return
	}
	reg := r.reg
	p.reg = &reg
	p.lastReg.Store(&reg)
	p.regNext = now.Add(p.opts.RegistryRefresh)
	p.recordAttempt(&p.registry, "registry", now, r.dur, true, "", nil)
}
