package common

import (
	"context"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// LookBackProvider makes the snapshot of the fleet as it was at a past
// time with a poll of its own (the live poller, shared by every session
// of mltop serve, goes on). It blocks on the network: the root calls it
// from a tea.Cmd.
type LookBackProvider interface {
	SnapshotAt(ctx context.Context, at time.Time) (fleet.Snapshot, error)
}
