package root

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// Snapshots arriving far faster than the frame rate cost one frame per
// frame tick, not one per snapshot. Bubble Tea calls View after every
// message, so View is called here the same way.
func TestSnapshotsFasterThanFramesAreCoalesced(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	view(m)
	before := m.Renders()
	s := uitest.Snapshot()
	scheduled := 0
	for i := 0; i < 1000; i++ {
		s.TakenAt = s.TakenAt.Add(time.Millisecond)
		wasArmed := m.frames.armed
		m.Update(common.SnapshotMsg{Snapshot: s})
		if !wasArmed && m.frames.armed {
			scheduled++
		}
		view(m)
	}
	if got := m.Renders() - before; got != 0 {
		t.Errorf("1000 snapshots within one frame interval drew %d frames before the frame tick, want 0", got)
	}
	if scheduled != 1 {
		t.Errorf("%d frame ticks scheduled, want exactly one", scheduled)
	}
	m.Update(frameMsg{})
	view(m)
	view(m)
	if got := m.Renders() - before; got != 1 {
		t.Errorf("the frame tick drew %d frames, want 1", got)
	}
	// The frame shows the newest snapshot.
	if m.c.Snapshot.TakenAt != s.TakenAt {
		t.Errorf("Common holds %v, want the newest %v", m.c.Snapshot.TakenAt, s.TakenAt)
	}
	// A key is drawn at once, without waiting for a tick.
	press(m, "j")
	view(m)
	if got := m.Renders() - before; got != 2 {
		t.Errorf("a key press drew %d frames in total, want 2", got)
	}
}

// The first snapshot is drawn at once: nobody should wait a frame for data.
func TestFirstSnapshotDrawnAtOnce(t *testing.T) {
	c := uitest.Common("dark")
	c.Snapshot = nil
	m := newRoot(t, "dark", 120, 40, Options{Common: c})
	view(m)
	before := m.Renders()
	m.Update(common.SnapshotMsg{Snapshot: uitest.Snapshot()})
	view(m)
	if m.Renders() != before+1 {
		t.Errorf("first snapshot drew %d frames, want 1", m.Renders()-before)
	}
}

// The subscription read delivers only the newest of queued snapshots.
func TestWaitForSnapshotTakesNewest(t *testing.T) {
	ch := make(chan fleet.Snapshot, 1000)
	base := uitest.Snapshot()
	for i := 0; i < 1000; i++ {
		s := base
		s.TakenAt = base.TakenAt.Add(time.Duration(i) * time.Second)
		ch <- s
	}
	msg := waitForSnapshot(ch)()
	got, ok := msg.(snapshotArrivedMsg)
	if !ok {
		t.Fatalf("got %T", msg)
	}
	if want := base.TakenAt.Add(999 * time.Second); !got.snapshot.TakenAt.Equal(want) {
		t.Errorf("delivered %v, want the newest %v", got.snapshot.TakenAt, want)
	}
	if len(ch) != 0 {
		t.Errorf("%d snapshots left queued", len(ch))
	}
	close(ch)
	if _, ok := waitForSnapshot(ch)().(snapshotsClosedMsg); !ok {
		t.Error("a closed subscription is not reported")
	}
}

// Every snapshot reaches every screen on the stack, with Common updated.
func TestSnapshotReachesAllScreens(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	fl := m.stack[0].(*fakeFleet)
	before := fl.updates
	s := uitest.Snapshot()
	s.Models = s.Models[:1]
	ch := make(chan fleet.Snapshot, 1)
	ch <- s
	m.snapshots = ch
	_, cmd := m.Update(waitForSnapshot(ch)())
	if fl.updates != before+1 || len(m.c.Snapshot.Models) != 1 {
		t.Errorf("fleet updates %d→%d, models %d", before, fl.updates, len(m.c.Snapshot.Models))
	}
	if cmd == nil {
		t.Error("the subscription read was not re-armed")
	}
	close(ch)
}
