package lastmodels

import (
	"context"
	"log/slog"
	"slices"

	"github.com/mltop/mltop/internal/fleet"
)

// Watch saves the models of each snapshot read from snapshots to path
// until ctx ends or the channel closes. The file is rewritten only when
// the names change, which is rare: most snapshots cost a comparison.
func Watch(ctx context.Context, snapshots <-chan fleet.Snapshot, path string, log *slog.Logger) {
	var last []Model
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-snapshots:
			if !ok {
				return
			}
			models := FromSnapshot(s)
			if len(models) == 0 || equal(models, last) {
				continue // an empty fleet (a source down) keeps the names known
			}
			if err := Save(path, models); err != nil {
				log.Warn("completion: model names not saved", "err", err)
				continue
			}
			last = models
		}
	}
}

func equal(a, b []Model) bool {
	return slices.EqualFunc(a, b, func(x, y Model) bool {
		return x.Name == y.Name && slices.Equal(x.Versions, y.Versions)
	})
}
