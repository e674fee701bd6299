package root

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
)

// Messages only the root sees. Screens get the common.* ones.
type (
	// snapshotArrivedMsg is a snapshot read from the subscription; the root
	// re-arms the read after handling it, so exactly one read is pending.
	snapshotArrivedMsg struct{ snapshot fleet.Snapshot }
	// snapshotsClosedMsg says the subscription ended (the poller stopped).
	snapshotsClosedMsg struct{}
	// clockMsg is the root's one-second tick that advances ages.
	clockMsg struct{ now time.Time }
	// frameMsg ends a frame interval: data that arrived during it is drawn now.
	frameMsg struct{}
)

// waitForSnapshot blocks on the subscription off the UI goroutine. When
// several snapshots are queued (a slow terminal), only the newest is
// delivered: older ones would be drawn and immediately replaced.
func waitForSnapshot(ch <-chan fleet.Snapshot) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return snapshotsClosedMsg{}
		}
		for {
			select {
			case next, ok := <-ch:
				if !ok {
					return snapshotArrivedMsg{snapshot: s}
				}
				s = next
			default:
				return snapshotArrivedMsg{snapshot: s}
			}
		}
	}
}

// clockTick schedules the next one-second tick.
func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return clockMsg{now: t} })
}
