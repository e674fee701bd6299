package root

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// evidence is the judge's verdict of model's canary against its stable
// version in the latest snapshot, as the rollout verbs' plans show it; nil
// before the first snapshot.
func (m *Model) evidence(model string) *fleet.Verdict {
	if m.c.Snapshot == nil {
		return nil
	}
	cmp := m.c.Comparisons
	if cmp.Refresh <= 0 {
		cmp.Refresh = m.c.Refresh
	}
	v := judge.Config{Thresholds: m.c.Thresholds, Comparisons: cmp}.SnapshotVerdict(m.c.Snapshot, model, "")
	return &v
}
