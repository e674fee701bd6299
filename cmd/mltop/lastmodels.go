package main

import (
	"context"
	"log/slog"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/lastmodels"
	"github.com/mltop/mltop/internal/wiring"
)

// completionFile is the file whose model names shell completion offers
// for a config's context, or for the demo fleet.
func completionFile(cfg string, demo bool) string {
	if demo {
		cfg = "demo"
	}
	return lastmodels.Path(wiring.StateDir(), cfg)
}

// rememberModels keeps the model names of a's snapshots for completion
// until ctx ends or the returned stop is called.
func rememberModels(ctx context.Context, a *wiring.App, file string, log *slog.Logger) (stop func()) {
	snapshots, unsubscribe := a.Poller.Hub().Subscribe()
	ctx, cancel := context.WithCancel(ctx)
	go lastmodels.Watch(ctx, snapshots, file, log)
	return func() { cancel(); unsubscribe() }
}

// rememberSnapshot keeps one snapshot's model names for completion; a
// snapshot without models (a source down) keeps the names known.
func rememberSnapshot(s fleet.Snapshot, file string, log *slog.Logger) {
	if models := lastmodels.FromSnapshot(s); len(models) > 0 {
		if err := lastmodels.Save(file, models); err != nil {
			log.Warn("completion: model names not saved", "err", err)
		}
	}
}
