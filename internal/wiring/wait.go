package wiring

import (
	"context"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// WarmUp is how long the built-in engine must scrape before rates are
// right: rate() divides by the whole window, so until the window holds data
// from end to end, every rate reads low (by up to window ÷ interval).
func (a *App) WarmUp() time.Duration {
	if a.Engine == nil {
		return 0
	}
	return a.Config.Window + a.Config.Scrape.Interval
}

// FirstSnapshot polls until the data is complete enough to print, or ctx
// ends; it then returns the best snapshot it has. With a remote server one
// poll is the answer. With the built-in engine it waits for the rate window
// to fill, then for every serving version to have a rate, polling after
// each scrape round rather than sleeping a fixed time.
func (a *App) FirstSnapshot(ctx context.Context) fleet.Snapshot {
	if a.Engine == nil {
		return a.Poller.PollOnce(ctx)
	}
	ready := a.started.Add(a.WarmUp())
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var snap fleet.Snapshot
	polled := false
	polledAt := uint64(0)
	for {
		if n := a.Engine.Scrapes(); n >= 2 && n != polledAt && !time.Now().Before(ready) {
			polledAt = n
			snap, polled = a.Poller.PollOnce(ctx), true
			if complete(snap) {
				return snap
			}
		}
		select {
		case <-ctx.Done():
			if !polled {
				// Out of time before the window filled: print what there is.
				snap = a.Poller.PollOnce(context.WithoutCancel(ctx))
			}
			return snap
		case <-tick.C:
		}
	}
}

// complete reports whether every source answered and every serving version
// has a request rate: the point after which more waiting adds nothing.
func complete(s fleet.Snapshot) bool {
	for _, src := range s.Sources {
		if !src.OK && src.Judged() {
			return false
		}
	}
	serving := 0
	for _, m := range s.Models {
		for _, v := range m.Versions {
			if !v.Serving {
				continue
			}
			serving++
			if v.RequestsPerSecond == nil {
				return false
			}
		}
	}
	return serving > 0
}
