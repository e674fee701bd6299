package root

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
	"github.com/mltop/mltop/ui/uitest"
)

// An action key pressed after [ and before the look back answers: the
// freeze cancels the plan on its way, which then opens no dialog.
func TestFreezeCancelsThePlanOnItsWay(t *testing.T) {
	m, _, fx := lookBackRoot(t, 120, 40)
	back := press(m, "[")
	plan := press(m, "R")
	deliver(m, back)
	if !m.back.frozen() {
		t.Fatal("the look back did not land")
	}
	if !m.flash.isErr || !strings.Contains(m.flash.text, "cancelled: roll back") || !strings.Contains(m.flash.text, "actions act on the present") {
		t.Errorf("flash %q, want the plan said cancelled", m.flash.text)
	}
	deliver(m, plan)
	if m.overlay == overlayDialog || m.act.dialog != nil {
		t.Fatalf("the plan asked for before the freeze opened a dialog over the past:\n%s", ansi.Strip(view(m)))
	}
	if plans, _ := fx.counts(); plans != 1 {
		t.Errorf("%d plans, want the one asked before the freeze", plans)
	}
}

// A dialog open when the look back lands closes, says so, and cannot be
// confirmed; nothing is sent.
func TestFreezeClosesTheOpenDialog(t *testing.T) {
	m, _, fx := lookBackRoot(t, 120, 40)
	back := press(m, "[")
	deliver(m, press(m, "T"))
	if m.overlay != overlayDialog || m.act.dialog == nil {
		t.Fatalf("T opened no dialog; flash %q", m.flash.text)
	}
	id := m.act.dialog.ID()
	m.Update(dialog.ArmedMsg{ID: id})
	typeText(m, "drifted")
	deliver(m, back)
	if m.overlay == overlayDialog || m.act.dialog != nil {
		t.Fatalf("the dialog stayed open over the past:\n%s", ansi.Strip(view(m)))
	}
	if !strings.Contains(m.flash.text, "cancelled: retrain") {
		t.Errorf("flash %q, want the dialog said cancelled", m.flash.text)
	}
	// Keys meant for the dialog go nowhere near an action; a re-plan of
	// it is dropped.
	deliver(m, press(m, "tab"))
	deliver(m, press(m, "enter"))
	m.Update(dialog.PlannedMsg{Request: fx.planned[0]})
	if m.act.dialog != nil {
		t.Error("a re-plan reopened the dialog over the past")
	}
	if _, sent := fx.counts(); sent != 0 {
		t.Errorf("%d requests sent while looking back", sent)
	}
}

// The approvals list open when the look back lands refuses to approve.
func TestFreezeRefusesApprovals(t *testing.T) {
	m, fa := approvalRoot(t, 120, 40, "ana", "operator")
	lb := &fakeLookBack{}
	m.c.LookBack = lb
	back := press(m, "[")
	press(m, ":")
	typeText(m, "approvals")
	press(m, "enter")
	deliver(m, back)
	deliver(m, press(m, "a"))
	if len(fa.approved) != 0 || !strings.Contains(m.flash.text, "actions act on the present") {
		t.Errorf("approved %v while looking back; flash %q", fa.approved, m.flash.text)
	}
}

// ctxLookBack records whether the context of each look back was already
// cancelled when the poll ran.
type ctxLookBack struct {
	fakeLookBack
	cancelled []bool
}

func (c *ctxLookBack) SnapshotAt(ctx context.Context, at time.Time) (fleet.Snapshot, error) {
	c.cancelled = append(c.cancelled, ctx.Err() != nil)
	if err := ctx.Err(); err != nil {
		return fleet.Snapshot{}, err
	}
	return c.fakeLookBack.SnapshotAt(ctx, at)
}

// Each [ while a look back runs cancels it and starts nothing more: when
// it ends, one poll asks for the newest time.
func TestLookBacksAreCancelledAndCoalesced(t *testing.T) {
	lb := &ctxLookBack{}
	m := newRoot(t, "dark", 120, 40, Options{Common: newTestCommon("dark"), Actions: newFakeExecutor(), LookBack: lb})
	now := m.c.Now
	first := press(m, "[")
	for range 5 {
		if cmd := press(m, "["); cmd != nil {
			t.Fatal("a [ while a look back runs started another poll")
		}
	}
	msgs := uitest.Run(first)
	if len(lb.cancelled) != 1 || !lb.cancelled[0] {
		t.Fatalf("the first look back's context cancelled: %v, want cancelled by the next [", lb.cancelled)
	}
	var next tea.Cmd
	for _, msg := range msgs {
		_, next = m.Update(msg)
	}
	if m.back.frozen() {
		t.Fatal("the cancelled look back was shown")
	}
	deliver(m, next)
	if len(lb.cancelled) != 2 || len(lb.asked) != 1 || !lb.asked[0].Equal(now.Add(-6*time.Hour)) {
		t.Fatalf("polled %v, want one poll of the newest time asked (%v)", lb.asked, now.Add(-6*time.Hour))
	}
	if !m.c.Snapshot.TakenAt.Equal(now.Add(-6 * time.Hour)) {
		t.Errorf("shown %v, want the newest time asked", m.c.Snapshot.TakenAt)
	}

	// :live cancels a look back on its way; its answer is dropped.
	back := press(m, "[")
	runCommandLine(m, "live")
	deliver(m, back)
	if got := lb.cancelled[len(lb.cancelled)-1]; !got || m.back.frozen() || !m.c.Snapshot.Live() {
		t.Errorf("after :live the look back ran uncancelled (%v) or was shown (frozen %v)", got, m.back.frozen())
	}

	// Quitting cancels it too.
	back = press(m, "[")
	if !isQuit(press(m, "ctrl+c")) {
		t.Fatal("ctrl+c did not quit")
	}
	uitest.Run(back)
	if got := lb.cancelled[len(lb.cancelled)-1]; !got {
		t.Error("the look back on its way ran on after quitting")
	}
}

// A viewer gone (an SSH connection closed without quitting) cancels the
// look back on its way.
func TestLookBackEndsWithTheViewer(t *testing.T) {
	lb := &ctxLookBack{}
	done, gone := context.WithCancel(context.Background())
	m := newRoot(t, "dark", 120, 40, Options{Common: newTestCommon("dark"), LookBack: lb, Done: done})
	back := press(m, "[")
	gone()
	uitest.Run(back)
	if len(lb.cancelled) != 1 || !lb.cancelled[0] {
		t.Errorf("the look back ran after its viewer was gone: cancelled %v", lb.cancelled)
	}
}

// :live when no live poll had answered before the freeze: the past must
// not stay on screen as live; the dashboard waits for the first poll.
func TestLiveWithoutALiveSnapshotWaits(t *testing.T) {
	c := newTestCommon("dark")
	c.Snapshot = nil
	m := newRoot(t, "dark", 120, 40, Options{Common: c, LookBack: &fakeLookBack{}})
	runCommandLine(m, "at -1h")
	if !m.back.frozen() || m.c.Snapshot == nil {
		t.Fatal("the look back did not land")
	}
	deliver(m, m.push(m.screens.Detail(m.c, "then-"+m.c.Snapshot.Models[0].Name)))
	runCommandLine(m, "live")
	if m.c.Snapshot != nil {
		t.Fatalf(":live kept the snapshot taken %v on screen as live", m.c.Snapshot.TakenAt)
	}
	got := ansi.Strip(view(m))
	if !strings.Contains(got, "waiting for the first poll") || strings.Contains(got, "then-") || strings.Contains(got, "not live") {
		t.Errorf("after :live the screen does not wait for the first poll:\n%s", got)
	}
	if s := m.Stack(); len(s) != 1 {
		t.Errorf("stack %v: the screens over the past stay open", s)
	}
	live := newTestCommon("dark").Snapshot
	m.Update(common.SnapshotMsg{Snapshot: *live})
	if got := ansi.Strip(view(m)); strings.Contains(got, "waiting for the first poll") {
		t.Errorf("the first live poll is not shown:\n%s", got)
	}
}
